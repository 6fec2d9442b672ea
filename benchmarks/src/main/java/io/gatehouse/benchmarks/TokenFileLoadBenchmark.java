package io.gatehouse.benchmarks;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a 1,000,000-line token file (target: at most 1.5 s as the median of the measured shots), as at startup
 * and on every reload. Each shot also reports the heap it needed: the sum of the heap pools' peak usage during the
 * load (an upper bound of the peak), printed at the end of the trial with the median of the shots.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class TokenFileLoadBenchmark {

    static final int LINES = 1_000_000;

    private Path file;

    @Setup(Level.Trial)
    public void writeFile() throws IOException {
        file = Files.createTempFile("gatehouse-tokens-", ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                // 32-character tokens, as kubeadm-style random tokens are; every fourth row with groups.
                w.write(String.format("%032x,user-%d,uid-%d", (long) i * 0x9E3779B97F4A7C15L, i, i));
                if (i % 4 == 0) {
                    w.write(",\"system:masters,dev\"");
                }
                w.write('\n');
            }
        }
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    private final java.util.List<Long> peaks = new java.util.ArrayList<>();

    @Setup(Level.Invocation)
    public void resetPeaks() {
        System.gc();
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    @TearDown(Level.Invocation)
    public void recordPeak() {
        long sum = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        peaks.add(sum);
    }

    @TearDown(Level.Trial)
    public void printPeaks() {
        java.util.List<Long> sorted = new java.util.ArrayList<>(peaks);
        java.util.Collections.sort(sorted);
        System.out.printf("%npeak heap during a load (sum of heap pools' peaks, MiB): median %d, max %d over %d shots%n",
                sorted.get(sorted.size() / 2) >> 20, sorted.get(sorted.size() - 1) >> 20, sorted.size());
    }

    @Benchmark
    public int loadMillionLineFile() {
        try (StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().file(file)
                .reloadInterval(Duration.ZERO).listener(AuthenticationListener.NONE).build()) {
            return tokens.size();
        }
    }
}
