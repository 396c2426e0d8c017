package io.chiron.gateway;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseTapTest {
    @Test
    void eventsSplitAcrossChunksComeOutWholeAndInOrder() {
        List<String> events = new ArrayList<>();
        SseTap tap = new SseTap(events::add);
        String stream = "data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n";
        // one byte at a time: every boundary, including the two newlines, falls between chunks
        for (int i = 0; i < stream.length(); i++) {
            tap.feed(Buffer.buffer(stream.substring(i, i + 1)));
        }
        assertThat(events)
                .containsExactly("data: {\"a\":1}\n\n", "data: {\"a\":2}\n\n", "data: [DONE]\n\n");
        assertThat(tap.rest()).isEmpty();
        assertThat(SseTap.data(events.get(1))).isEqualTo("{\"a\":2}");
        assertThat(SseTap.data(events.get(2))).isNull();
    }

    @Test
    void severalEventsInOneChunkAndAHalfOneLeft() {
        List<String> events = new ArrayList<>();
        SseTap tap = new SseTap(events::add);
        tap.feed(Buffer.buffer("data: 1\n\ndata: 2\n\ndata: 3"));
        assertThat(events).containsExactly("data: 1\n\n", "data: 2\n\n");
        assertThat(tap.rest()).isEqualTo("data: 3");
    }

    @Test
    void anEventOverTheBoundFailsTheStream() {
        SseTap tap = new SseTap(e -> {});
        assertThatThrownBy(
                        () ->
                                tap.feed(
                                        Buffer.buffer(
                                                "data: " + "x".repeat(SseTap.MAX_EVENT_BYTES))))
                .hasMessageContaining("bytes from the backend");
    }
}
