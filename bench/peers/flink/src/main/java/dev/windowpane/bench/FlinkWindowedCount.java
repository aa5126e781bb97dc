package dev.windowpane.bench;

import java.time.Duration;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The windowed count of the live benchmark on Apache Flink, as a local mini cluster in this JVM
 * (parallelism 1): events per key in tumbling event-time windows, watermark = max event time
 * (no out-of-orderness), one row per window and key when the watermark passes its end.
 * Event time is the Kafka record timestamp (= the event's ts field). Output as in WindowedCount.
 *
 *   java -cp ... dev.windowpane.bench.FlinkWindowedCount BOOTSTRAP INPUT OUTPUT WINDOW_MS GROUP_ID
 */
public final class FlinkWindowedCount {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], input = args[1], output = args[2];
    long windowMs = Long.parseLong(args[3]);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    env.getConfig().setAutoWatermarkInterval(50);

    KafkaSource<Tuple2<String, Long>> source = KafkaSource.<Tuple2<String, Long>>builder()
        .setBootstrapServers(bootstrap)
        .setTopics(input)
        .setGroupId(args[4])
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(new KeyOnly())
        .build();
    KafkaSink<String> sink = KafkaSink.<String>builder()
        .setBootstrapServers(bootstrap)
        .setDeliveryGuarantee(DeliveryGuarantee.NONE)
        .setRecordSerializer(KafkaRecordSerializationSchema.builder().setTopic(output).setValueSerializationSchema(new SimpleStringSchema()).build())
        .build();

    env.fromSource(source, WatermarkStrategy.<Tuple2<String, Long>>forBoundedOutOfOrderness(Duration.ZERO), "input")
        .keyBy(t -> t.f0)
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(windowMs)))
        .process(new Count())
        .sinkTo(sink);
    // RUNNING once the job's tasks run (the mini cluster takes a few seconds to get there)
    JobClient job = env.executeAsync("windowed-count");
    while (job.getJobStatus().get() != JobStatus.RUNNING) Thread.sleep(50);
    System.out.println("RUNNING");
    job.getJobExecutionResult().get();
  }

  /** The record key; the event time comes from the record timestamp. */
  static final class KeyOnly implements KafkaRecordDeserializationSchema<Tuple2<String, Long>> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Tuple2<String, Long>> out) {
      out.collect(Tuple2.of(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), 1L));
    }

    @Override
    public org.apache.flink.api.common.typeinfo.TypeInformation<Tuple2<String, Long>> getProducedType() {
      return org.apache.flink.api.common.typeinfo.Types.TUPLE(org.apache.flink.api.common.typeinfo.Types.STRING, org.apache.flink.api.common.typeinfo.Types.LONG);
    }
  }

  static final class Count extends ProcessWindowFunction<Tuple2<String, Long>, String, String, TimeWindow> {
    @Override
    public void process(String key, Context ctx, Iterable<Tuple2<String, Long>> events, Collector<String> out) {
      long n = 0;
      for (Tuple2<String, Long> ignored : events) n++;
      out.collect(ctx.window().getStart() + "," + ctx.window().getEnd() + "," + n + "," + key);
    }
  }
}
