package io.chiron.policy.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GpuProfileTest {
    private static final String HEADER =
            "phase,batch_size,context_tokens,prompt_tokens,latency_ms\n";

    @TempDir Path dir;

    private Path csv(String rows) throws IOException {
        Path f = dir.resolve("gpu.csv");
        Files.writeString(f, HEADER + rows);
        return f;
    }

    @Test
    void aRowThatNoGpuCouldMeasureNamesItsLine() throws IOException {
        Path nan = csv("decode,1,0,0,NaN\n");
        assertThatThrownBy(() -> GpuProfile.load(nan.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("latency_ms must be > 0");
        Path negative = csv("decode,1,-5,0,10\n");
        assertThatThrownBy(() -> GpuProfile.load(negative.toString()))
                .hasMessageContaining("line 2")
                .hasMessageContaining("context_tokens and prompt_tokens must be >= 0");
    }

    @Test
    void badMemoryFiguresNameTheFileAndTheKey() throws IOException {
        Path f = csv("decode,1,0,0,10\ndecode,2,0,0,11\nprefill,1,0,1024,30\n");
        Path props = dir.resolve("gpu.properties");
        Files.writeString(props, "gpu_memory_bytes = 80e9\n");
        assertThatThrownBy(() -> GpuProfile.load(f.toString()))
                .hasMessageContaining("gpu.properties")
                .hasMessageContaining("weights_bytes is missing");
        Files.writeString(props, "gpu_memory_bytes = 80e9\nweights_bytes = lots\n");
        assertThatThrownBy(() -> GpuProfile.load(f.toString()))
                .hasMessageContaining("weights_bytes = 'lots' is not a number");
        Files.writeString(
                props,
                "gpu_memory_bytes = 80e9\nweights_bytes = 16e9\ngpu_memory_utilization = 2\n");
        assertThatThrownBy(() -> GpuProfile.load(f.toString()))
                .hasMessageContaining("gpu_memory_utilization = '2': must be in (0, 1]");
    }
}
