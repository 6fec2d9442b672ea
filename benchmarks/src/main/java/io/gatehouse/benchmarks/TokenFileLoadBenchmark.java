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

/** Loading a 1,000,000-line token file (target: at most 2 s), as at startup and on every reload. */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
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

    @Benchmark
    public int loadMillionLineFile() {
        try (StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().file(file)
                .reloadInterval(Duration.ZERO).listener(AuthenticationListener.NONE).build()) {
            return tokens.size();
        }
    }
}
