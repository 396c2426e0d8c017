package io.chiron.embedded;

import org.junit.jupiter.api.RepeatedTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaPortsTest {

    /**
     * CI once started a broker whose client and controller listeners got the same port, because two
     * bind-and-release calls in a row returned it twice. Chosen together, they never repeat.
     */
    @RepeatedTest(20)
    void theBrokersPortsAreDistinct() throws Exception {
        int[] ports = EmbeddedKafka.freePorts(3);

        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(3);
        assertThat(Arrays.stream(ports).boxed()).allSatisfy(p -> assertThat(p).isBetween(1, 65535));
    }
}
