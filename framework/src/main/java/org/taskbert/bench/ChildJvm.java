package org.taskbert.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a taskbert child JVM for one benchmark workload, with the same java, classpath and heap limit as this
 * one, so that each workload's peak resident memory is its own. A worker reports by printing one line
 * {@code BENCH_RESULT {json}} on its standard output ({@link #print}); the parent reads it back as a record.
 */
public final class ChildJvm {

    /** The prefix of a worker's result line. */
    public static final String RESULT = "BENCH_RESULT ";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String mainClass;

    /** Children run {@code mainClass} (taskbert's command line) with the arguments each workload gives. */
    public ChildJvm(String mainClass) {
        this.mainClass = mainClass;
    }

    /**
     * Runs a child to its end and returns the last result line it printed, as a {@code type}.
     *
     * @param jvm extra JVM options (e.g. {@link Nd4jBuilds#options})
     * @param env environment overrides; an empty value removes that variable
     * @throws IllegalStateException if the child exits non-zero or prints no result line
     */
    public <T> T run(List<String> args, List<String> jvm, Map<String, String> env, Class<T> type)
            throws IOException, InterruptedException {
        Process p = start(args, jvm, ProcessBuilder.Redirect.PIPE, env);
        List<T> results = results(p.getInputStream(), type);
        int exit = p.waitFor();
        if (exit != 0 || results.isEmpty()) {
            throw new IllegalStateException("benchmark workload " + args + " failed (exit " + exit + ")");
        }
        return results.get(results.size() - 1);
    }

    /**
     * Starts a child; its standard error goes to this process's, its standard output where {@code stdout} says.
     *
     * @param env environment overrides; an empty value removes that variable
     */
    public Process start(List<String> args, List<String> jvm, ProcessBuilder.Redirect stdout, Map<String, String> env)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m");
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectOutput(stdout).redirectError(ProcessBuilder.Redirect.INHERIT);
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        return pb.start();
    }

    /** Worker side: prints {@code result} as this process's result line. */
    public static void print(Object result) throws JsonProcessingException {
        System.out.println(RESULT + JSON.writeValueAsString(result));
        System.out.flush();
    }

    /** The result lines in a worker's output (read to its end), each as a {@code type}, in order. */
    public static <T> List<T> results(InputStream output, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    out.add(JSON.readValue(line.substring(RESULT.length()), type));
                }
            }
        }
        return out;
    }
}
