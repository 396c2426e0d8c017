package io.chiron.jobs.records;

/** One Kafka record as it arrived, bytes untouched, so bad ones can be dead-lettered whole. */
public class KafkaRecord {
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    public byte[] key;
    public byte[] value;

    public KafkaRecord() {}

    public KafkaRecord(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }
}
