package org.taskbert.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The GEMM peak that every benchmark rate is quoted against, measured in child JVMs: one with
 * {@code OMP_WAIT_POLICY=PASSIVE} (as taskbert runs) and one with OpenMP's default spinning, which keeps a tight
 * loop of GEMMs faster; the peak is the better of the two.
 */
public final class GemmWorkload {

    /** Token rows of the GEMM shapes: 512, 1024 and 2048 cover batches of 32 to 128 STS sentences. */
    private static final int[] TOKENS = {512, 1024, 2048};

    private static final int HIDDEN = 768;
    private static final int INTERMEDIATE = 3072;

    /** What a worker prints: the ND4J build it loaded and each shape's rate. */
    public record Measurement(String nd4jBuild, List<GemmPeak.Result> results) {}

    /**
     * Both children's rows (each path suffixed with its OpenMP wait policy), the build of the last one, and the
     * best rate among them.
     */
    public record Result(String nd4jBuild, List<GemmPeak.Result> gemm, double peakGflops) {}

    private GemmWorkload() {}

    /** Worker side: measures every shape in this JVM for {@code seconds} each. */
    public static Measurement measure(int seconds) {
        List<GemmPeak.Result> results = GemmPeak.measure(TOKENS, HIDDEN, INTERMEDIATE, seconds);
        return new Measurement(Nd4jBuilds.loaded(), results); // after ND4J has loaded its native library
    }

    /** Parent side: runs {@code bench --worker gemm} once per wait policy. */
    public static Result run(ChildJvm jvm, int seconds) throws IOException, InterruptedException {
        List<GemmPeak.Result> gemm = new ArrayList<>();
        String build = null;
        for (String policy : List.of("PASSIVE", "")) {
            Measurement m = jvm.run(
                    List.of("bench", "--worker", "gemm", "--gemm-seconds", String.valueOf(seconds)),
                    List.of(),
                    Map.of("OMP_WAIT_POLICY", policy),
                    Measurement.class);
            build = m.nd4jBuild();
            for (GemmPeak.Result r : m.results()) {
                gemm.add(new GemmPeak.Result(
                        r.path() + ", OMP " + (policy.isEmpty() ? "default" : policy), r.shape(), r.gflops()));
            }
        }
        double peak = gemm.stream().mapToDouble(GemmPeak.Result::gflops).max().orElse(Double.NaN);
        return new Result(build, List.copyOf(gemm), peak);
    }
}
