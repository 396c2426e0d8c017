package io.chiron.policy.signals;

import io.chiron.records.PoolSignal;
import io.chiron.records.QueueGroup;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PoolBookTest {
    private static final long BUCKET = 60_000;

    static RequestEvent event(
            RequestEventType type, RequestClass cls, Long deadline, String instance, int output) {
        return RequestEvent.newBuilder()
                .setType(type)
                .setRequestId("r")
                .setModel("m")
                .setRequestClass(cls)
                .setInstanceId(instance)
                .setTsMs(1_000)
                .setArrivalTsMs(1_000)
                .setDeadlineTsMs(deadline)
                .setSloTtftMs(0)
                .setSloItlMs(500)
                .setPromptTokens(100)
                .setOutputTokens(output)
                .setQueueWaitMs(0)
                .setPreemptions(0)
                .build();
    }

    @Test
    void theQueueIsArrivalsMinusAdmissionsPerGroupAcrossWindows() {
        PoolBook book = new PoolBook();
        PoolWindow first = new PoolWindow();
        for (int i = 0; i < 5; i++) {
            first.add(
                    event(RequestEventType.ARRIVED, RequestClass.BATCH, 600_000L, null, 0), BUCKET);
        }
        first.add(event(RequestEventType.ARRIVED, RequestClass.BATCH, 125_000L, null, 0), BUCKET);
        first.add(event(RequestEventType.ARRIVED, RequestClass.INTERACTIVE, null, null, 0), BUCKET);
        PoolSignal s1 = book.apply(first, 0, 5_000);
        assertThat(s1.getQueueBatch()).isEqualTo(6);
        assertThat(s1.getQueueInteractive()).isEqualTo(1);
        // Interactive first, then batch groups by deadline bucket: 120,000 before 600,000.
        assertThat(s1.getQueueGroups())
                .extracting(
                        QueueGroup::getRequestClass,
                        QueueGroup::getEarliestDeadlineTsMs,
                        QueueGroup::getRequests)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RequestClass.INTERACTIVE, 0L, 1L),
                        org.assertj.core.groups.Tuple.tuple(RequestClass.BATCH, 120_000L, 1L),
                        org.assertj.core.groups.Tuple.tuple(RequestClass.BATCH, 600_000L, 5L));

        PoolWindow second = new PoolWindow();
        second.add(event(RequestEventType.STARTED, RequestClass.BATCH, 125_000L, "i", 0), BUCKET);
        second.add(event(RequestEventType.STARTED, RequestClass.BATCH, 600_000L, "i", 0), BUCKET);
        second.add(event(RequestEventType.PREEMPTED, RequestClass.BATCH, 600_000L, "i", 0), BUCKET);
        second.add(
                event(RequestEventType.DROPPED, RequestClass.INTERACTIVE, null, null, 0), BUCKET);
        PoolSignal s2 = book.apply(second, 5_000, 10_000);
        // The 120,000 group emptied and is gone; 5 - 1 + 1 = 5 remain; the dropped one left.
        assertThat(s2.getQueueBatch()).isEqualTo(5);
        assertThat(s2.getQueueInteractive()).isZero();
        assertThat(s2.getQueueGroups())
                .singleElement()
                .extracting(QueueGroup::getRequests)
                .isEqualTo(5L);
    }

    @Test
    void outputLengthMomentsAccumulateOverFinishedRequests() {
        PoolBook book = new PoolBook();
        PoolWindow w = new PoolWindow();
        w.add(event(RequestEventType.FINISHED, RequestClass.BATCH, 1L, "i", 100), BUCKET);
        w.add(event(RequestEventType.FINISHED, RequestClass.BATCH, 1L, "i", 300), BUCKET);
        PoolSignal s = book.apply(w, 0, 5_000);
        // mean 200, population std 100.
        assertThat(s.getOutputTokensMean()).isEqualTo(200.0);
        assertThat(s.getOutputTokensStd()).isCloseTo(100.0, within(1e-9));
        assertThat(s.getPromptTokensMean()).isEqualTo(100.0);
    }

    private static <T> T roundTrip(T value, Writer<T> write, Reader<T> read) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        write.write(value, new java.io.DataOutputStream(bytes));
        return read.read(
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
    }

    interface Writer<T> {
        void write(T value, java.io.DataOutput out) throws Exception;
    }

    interface Reader<T> {
        T read(java.io.DataInput in) throws Exception;
    }

    @Test
    void bookAndWindowSurviveTheirBinaryForm() throws Exception {
        PoolWindow w = new PoolWindow();
        w.add(event(RequestEventType.ARRIVED, RequestClass.BATCH, 600_000L, null, 0), BUCKET);
        w.add(event(RequestEventType.FINISHED, RequestClass.BATCH, 600_000L, "i", 42), BUCKET);
        PoolBook book = new PoolBook();
        PoolWindow w2 = roundTrip(w, PoolWindow::writeTo, PoolWindow::readFrom);
        PoolBook book2 = roundTrip(book, PoolBook::writeTo, PoolBook::readFrom);
        assertThat(book2.apply(w2, 0, 5_000)).isEqualTo(book.apply(w, 0, 5_000));
        // The book carries its queue across the round trip.
        PoolBook book3 = roundTrip(book, PoolBook::writeTo, PoolBook::readFrom);
        PoolWindow empty = new PoolWindow();
        empty.model = "m";
        assertThat(book3.apply(empty, 5_000, 10_000).getQueueBatch()).isEqualTo(1);
    }

    @Test
    void manyDeadlinesFoldIntoAnOverflowGroupThatDrainsWithoutPhantoms() {
        PoolBook book = new PoolBook(4);
        PoolWindow flood = new PoolWindow();
        flood.add(event(RequestEventType.ARRIVED, RequestClass.INTERACTIVE, null, null, 0), BUCKET);
        // 1,000 batch requests, each with its own one-minute deadline bucket.
        for (int i = 1; i <= 1_000; i++) {
            flood.add(
                    event(RequestEventType.ARRIVED, RequestClass.BATCH, i * BUCKET, null, 0),
                    BUCKET);
        }
        PoolSignal s1 = book.apply(flood, 0, 5_000);
        // Four groups: interactive, buckets 1 and 2 alone, and buckets 3..1000 as one overflow
        // group keyed by its earliest deadline (3 * BUCKET), holding 998 requests.
        assertThat(s1.getQueueGroups())
                .extracting(QueueGroup::getEarliestDeadlineTsMs, QueueGroup::getRequests)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, 1L),
                        org.assertj.core.groups.Tuple.tuple(BUCKET, 1L),
                        org.assertj.core.groups.Tuple.tuple(2 * BUCKET, 1L),
                        org.assertj.core.groups.Tuple.tuple(3 * BUCKET, 998L));
        assertThat(s1.getQueueBatch()).isEqualTo(1_000);
        assertThat(book.foldedGroups()).isEqualTo(997);

        // Every batch request starts, each in its own group again: the starts of folded
        // deadlines land in the overflow group, so the queue empties and nothing is left over.
        PoolWindow starts = new PoolWindow();
        for (int i = 1; i <= 1_000; i++) {
            starts.add(
                    event(RequestEventType.STARTED, RequestClass.BATCH, i * BUCKET, "i", 0),
                    BUCKET);
        }
        PoolSignal s2 = book.apply(starts, 5_000, 10_000);
        assertThat(s2.getQueueBatch()).isZero();
        assertThat(s2.getQueueGroups())
                .singleElement()
                .extracting(QueueGroup::getRequests)
                .isEqualTo(1L);

        // With the overflow gone, a new deadline is its own group again.
        PoolWindow later = new PoolWindow();
        later.add(
                event(RequestEventType.ARRIVED, RequestClass.BATCH, 500 * BUCKET, null, 0), BUCKET);
        assertThat(book.apply(later, 10_000, 15_000).getQueueGroups())
                .extracting(QueueGroup::getEarliestDeadlineTsMs)
                .containsExactly(0L, 500 * BUCKET);
    }
}
