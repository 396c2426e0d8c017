package io.chiron.records;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What the codec accepts from the wire: a hostile producer controls every byte, so anything must
 * end as a record or as a {@link MalformedRecordException}, and no cut-off record may pass.
 */
class AvroCodecPropertiesTest {
    private final AvroCodec<RequestEvent> codec = AvroCodec.of(RequestEvent.class);

    static RequestEvent event(String instance, long ts, int prompt, boolean finished) {
        return RequestEvent.newBuilder()
                .setType(finished ? RequestEventType.FINISHED : RequestEventType.STARTED)
                .setRequestId("r-" + ts)
                .setModel("llama3-8b")
                .setRequestClass(RequestClass.INTERACTIVE)
                .setInstanceId(instance)
                .setInstanceRole(InstanceRole.MIXED)
                .setTsMs(ts)
                .setArrivalTsMs(ts - 2_000)
                .setPromptTokens(prompt)
                .setOutputTokens(finished ? 100 : 0)
                .setSloTtftMs(2_000)
                .setSloItlMs(50)
                .setQueueWaitMs(0)
                .setPreemptions(0)
                .setTtftMs(finished ? 300L : null)
                .setItlMeanMs(finished ? 25.0 : null)
                .setSloMet(finished ? true : null)
                .build();
    }

    @Property(tries = 300, seed = "21")
    void everyProperPrefixOfARecordIsRejected(
            @ForAll @StringLength(max = 40) String instance,
            @ForAll long ts,
            @ForAll @IntRange(min = 0, max = 200_000) int prompt,
            @ForAll boolean finished,
            @ForAll @IntRange(min = 1, max = 400) int cut) {
        // Decoding is deterministic and the original consumes all n bytes: a prefix of m < n bytes
        // reads the same until it needs byte m, which lies in the padding, so fewer than the 16
        // padding bytes are left (or the decoder runs out): rejected either way.
        RequestEvent e = event(instance, ts, prompt, finished);
        byte[] bytes = codec.encode(e);
        int keep = Math.max(0, bytes.length - cut);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, keep)))
                .isInstanceOf(MalformedRecordException.class);
        // And the codec is not left broken by it: the whole record decodes to itself.
        assertThat(codec.decode(bytes)).isEqualTo(e);
    }

    @Property(tries = 1000, seed = "22")
    void arbitraryBytesDecodeToARecordOrAreMalformed(@ForAll @Size(max = 300) byte[] bytes) {
        Throwable t = catchThrowable(() -> codec.decode(bytes));
        if (t != null) {
            assertThat(t).isInstanceOf(MalformedRecordException.class);
        }
    }

    @Property(tries = 500, seed = "23")
    void aRecordWithOneByteChangedDecodesOrIsMalformed(
            @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll byte value) {
        byte[] bytes = codec.encode(event("i-7", 1_700_000_000_000L, 900, true));
        bytes[at % bytes.length] = value;
        Throwable t = catchThrowable(() -> codec.decode(bytes));
        if (t != null) {
            assertThat(t).isInstanceOf(MalformedRecordException.class);
        }
    }
}
