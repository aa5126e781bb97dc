package dev.windowpane.bench;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The same windowed count as the Windowpane live benchmark: events per key in tumbling event-time
 * windows, one final row per window and key once the window closes (no grace, suppress until close).
 * Event time is the record timestamp, which the producer sets to the event's ts field.
 * Output: key = group key, value = "windowStartMs,windowEndMs,count".
 *
 *   java -cp ... dev.windowpane.bench.WindowedCount BOOTSTRAP INPUT OUTPUT WINDOW_MS APP_ID STATE_DIR
 */
public final class WindowedCount {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], input = args[1], output = args[2];
    long windowMs = Long.parseLong(args[3]);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, args[4]);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, args[5]);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 10 * 1024 * 1024);
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");

    StreamsBuilder b = new StreamsBuilder();
    b.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(windowMs)))
        .count()
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .map((w, n) -> new org.apache.kafka.streams.KeyValue<>(w.key(), w.window().start() + "," + w.window().end() + "," + n))
        .to(output, Produced.with(Serdes.String(), Serdes.String()));

    KafkaStreams streams = new KafkaStreams(b.build(), p);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(10));
      stop.countDown();
    }));
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) System.out.println("RUNNING");
    });
    streams.start();
    stop.await();
  }
}
