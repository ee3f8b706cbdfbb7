package org.taskbert.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Loader;

/**
 * Which of ND4J's native builds this process loads. taskbert ships two: the AVX2 build (BENCHMARKS.md compares
 * them) and the generic x86-64 build. With both jars on the classpath JavaCPP loads the AVX2 one first,
 * without asking the CPU, and on a CPU without AVX2 and FMA that build cannot run. {@link #select()}, called before
 * ND4J loads, pins the generic build there: the fallback that works on any x86-64 CPU.
 */
public final class NativeBuild {

    /** JavaCPP's platform extension: "-avx2" for the AVX2 build, "" for the generic one. */
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";

    private NativeBuild() {}

    /**
     * Pins the generic build unless this CPU has AVX2 and FMA (or {@value #PROPERTY} is set already, which wins). Call
     * it before the first ND4J array is made; afterwards it changes nothing. Returns the extension in force.
     */
    public static synchronized String select() {
        String set = System.getProperty(PROPERTY);
        if (set != null) {
            return set;
        }
        String chosen = choose(cpuFlags());
        if (chosen.isEmpty()) {
            System.setProperty(PROPERTY, "");
        }
        return chosen;
    }

    /**
     * A warning for a process that was started without {@code OMP_WAIT_POLICY} (the launcher sets PASSIVE; it can
     * only be set before the process starts), or empty.
     */
    public static java.util.Optional<String> threadWarning(Map<String, String> env) {
        return env.containsKey("OMP_WAIT_POLICY")
                ? java.util.Optional.empty()
                : java.util.Optional.of(
                        "OMP_WAIT_POLICY is not set: ND4J's idle OpenMP threads will spin against the BLAS threads; start"
                                + " java with OMP_WAIT_POLICY=PASSIVE (the taskbert launcher does; BENCHMARKS.md measures both)");
    }

    /** The build for a CPU with these /proc/cpuinfo flags: "-avx2" with AVX2 and FMA, else "" (generic). */
    public static String choose(Set<String> flags) {
        return flags.contains("avx2") && flags.contains("fma") ? "-avx2" : "";
    }

    /** This CPU's flags from /proc/cpuinfo; empty where it cannot be read (the generic build is chosen then). */
    public static Set<String> cpuFlags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Set.copyOf(
                            Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** The path of every ND4J native library this process has loaded ("libnd4jcpu.so" and its JNI part). */
    public static Set<String> loadedNd4jLibraries() {
        Map<String, String> loaded = Loader.getLoadedLibraries();
        return loaded.values().stream()
                .filter(p -> p != null && p.contains("nd4jcpu"))
                .collect(Collectors.toSet());
    }
}
