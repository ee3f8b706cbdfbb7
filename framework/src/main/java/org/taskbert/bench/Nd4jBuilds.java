package org.taskbert.bench;

import java.nio.file.Path;
import java.util.List;
import org.taskbert.runtime.NativeBuild;

/**
 * The ND4J native builds a benchmark child JVM can be started with, and the one this JVM loaded. JavaCPP loads the
 * native jar whose classifier ends in {@value NativeBuild#PROPERTY}'s value, so a JVM option selects the build.
 */
public final class Nd4jBuilds {

    /** The build names {@link #options} knows: what taskbert picks for this CPU, plain x86-64, and AVX2. */
    public static final List<String> NAMES = List.of("default", "generic", "avx2");

    private Nd4jBuilds() {}

    /**
     * JVM options that select the named build.
     *
     * @throws IllegalArgumentException for a name not in {@link #NAMES}
     */
    public static List<String> options(String build) {
        return switch (build) {
            case "default" -> List.of();
            case "generic" -> List.of("-D" + NativeBuild.PROPERTY + "=");
            case "avx2" -> List.of("-D" + NativeBuild.PROPERTY + "=-avx2");
            default ->
                throw new IllegalArgumentException("unknown build '" + build + "' (" + String.join(", ", NAMES) + ")");
        };
    }

    /**
     * The folder of the ND4J native library this JVM loaded, e.g. "linux-x86_64-avx2" ("unknown" before ND4J has
     * loaded it).
     */
    public static String loaded() {
        return NativeBuild.loadedNd4jLibraries().stream()
                .filter(p -> p.endsWith("libnd4jcpu.so"))
                .map(p -> Path.of(p).getParent().getFileName().toString())
                .findFirst()
                .orElse("unknown");
    }
}
