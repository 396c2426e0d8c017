package io.chiron.gateway;

import io.chiron.records.RequestClass;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GlobalQueueTest {
    private static long seq;

    private static Pending p(RequestClass c, Long deadline) {
        seq++;
        return new Pending(
                "r" + seq,
                seq,
                c,
                "m",
                "/v1/completions",
                new JsonObject(),
                0,
                0,
                deadline,
                0,
                null);
    }

    @Test
    void batchLeavesEarliestDeadlineFirstAndInteractiveInArrivalOrder() {
        GlobalQueue q = new GlobalQueue(10);
        Pending b400 = p(RequestClass.BATCH, 400L);
        Pending b100 = p(RequestClass.BATCH, 100L);
        Pending b300 = p(RequestClass.BATCH, 300L);
        Pending b100late = p(RequestClass.BATCH, 100L); // same deadline, later arrival
        Pending i1 = p(RequestClass.INTERACTIVE, null);
        Pending i2 = p(RequestClass.INTERACTIVE, null);
        for (Pending x : List.of(b400, b100, b300, b100late, i1, i2)) {
            assertThat(q.offer(x)).isTrue();
        }
        List<Pending> batch = new ArrayList<>();
        while (q.peekBatch() != null) {
            Pending x = q.peekBatch();
            q.remove(x);
            batch.add(x);
        }
        assertThat(batch).containsExactly(b100, b100late, b300, b400);
        assertThat(q.peekInteractive()).isSameAs(i1);
        q.remove(i1);
        assertThat(q.peekInteractive()).isSameAs(i2);
    }

    @Test
    void theBoundRefusesAndARequeuedRequestGoesFirst() {
        GlobalQueue q = new GlobalQueue(2);
        Pending a = p(RequestClass.INTERACTIVE, null);
        Pending b = p(RequestClass.INTERACTIVE, null);
        assertThat(q.offer(a)).isTrue();
        assertThat(q.offer(b)).isTrue();
        assertThat(q.offer(p(RequestClass.BATCH, 1L))).isFalse();
        q.remove(a);
        q.requeue(a); // it could not start: back at the head, not behind b
        assertThat(q.peekInteractive()).isSameAs(a);
    }

    @Test
    void expiredRequestsAreHandedOverOnce() {
        GlobalQueue q = new GlobalQueue(10);
        Pending early = p(RequestClass.BATCH, 10L);
        Pending late = p(RequestClass.BATCH, 1000L);
        q.offer(early);
        q.offer(late);
        List<Pending> out = new ArrayList<>();
        q.expire(x -> x.deadlineMs < 100, out::add);
        q.expire(x -> x.deadlineMs < 100, out::add);
        assertThat(out).containsExactly(early);
        assertThat(q.size()).isEqualTo(1);
    }
}
