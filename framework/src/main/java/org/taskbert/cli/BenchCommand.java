package org.taskbert.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.taskbert.bench.Flops;
import org.taskbert.bench.GemmPeak;
import org.taskbert.bench.Memory;
import org.taskbert.data.StsPair;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.eval.StsEvaluation;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.runtime.NativeBuild;
import org.taskbert.tokenize.Encoding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taskbert bench}: the GEMM peak, then each workload (embedding per engine and batch size, fine-tuning steps
 * per config) in a fresh JVM of its own, so that each one's peak resident memory is its own; every rate is quoted
 * against the peak measured in the same run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the GEMM peak, BERT embedding throughput and fine-tuning step time in one run.",
                "FLOPs count real tokens only: 2 x 85M per token plus attention forward; training adds a backward",
                "of twice the forward through the layers that are trained."})
final class BenchCommand implements Callable<Integer> {

    private static final String RESULT = "BENCH_RESULT ";
    /** Token rows of the GEMM shapes: 512, 1024 and 2048 cover batches of 32 to 128 STS sentences. */
    private static final int[] GEMM_TOKENS = {512, 1024, 2048};

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, defaultValue = "bert-base-uncased")
    String model;

    @Option(names = "--batch-sizes", defaultValue = "32,128", split = ",")
    List<Integer> batchSizes;

    /** The one encoder (the SameDiff whole-graph BERT is a test oracle now, not an engine). */
    private final List<String> engines = List.of("inference");

    @Option(names = "--natives", defaultValue = "default", split = ",",
            description = "ND4J builds to time the embedding workloads with: default (what taskbert picks for this CPU),"
                    + " generic (x86-64), avx2")
    List<String> natives;

    @Option(names = "--gemm-seconds", defaultValue = "3", description = "time per GEMM shape")
    int gemmSeconds;

    @Option(names = "--train-config", description = "training configs whose steps are timed (repeatable)")
    List<Path> trainConfigs = new ArrayList<>();

    @Option(names = "--train-steps", defaultValue = "6", description = "steps per training workload; the first 2 are warm-up")
    int trainSteps;

    @Option(names = "--train-layers", split = ",",
            description = "run each training config once per value of training.train_layers (12: all layers)")
    List<Integer> trainLayers = new ArrayList<>();

    @Option(names = "--train-set", description = "key.path=value overrides for every training workload (repeatable)")
    List<String> trainSets = new ArrayList<>();

    @Option(names = "--torch-peer", paramLabel = "HF_DIR", description = {"also run the PyTorch peer (bench/torch_peer.py,"
            + " Debian's python3-torch) on this Hugging Face export of the model (taskbert export MODEL --out HF_DIR)"})
    Path torchPeer;

    @Option(names = "--peer-train-layers", defaultValue = "2,12",
            description = "top layers the PyTorch peer trains, one fine-tuning row each (12: all layers)")
    String peerTrainLayers;

    @Option(names = "--torch-script", defaultValue = "bench/torch_peer.py", hidden = true)
    Path torchScript;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "the Python with torch (Debian's)")
    String python;

    @Option(names = "--torch-check", paramLabel = "REFERENCE_JSONL",
            description = "verify the PyTorch peer against these reference vectors first (e.g. ../shared/reference/bert-base-uncased-vectors.jsonl)")
    Path torchCheck;

    @Option(names = "--json", defaultValue = "out/bench.json")
    Path json;

    @Option(names = "--max-sentences", description = "embed only the first N distinct sentences (0: all)")
    int maxSentences;

    @Option(names = "--worker", hidden = true, description = "internal: run one embedding workload, ENGINE:BATCH")
    String worker;

    @Parameters(arity = "0..*", paramLabel = "STS_FILE", description = "STS JSONL files whose sentences are embedded")
    List<Path> files = new ArrayList<>();

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        if ("gemm".equals(worker)) {
            List<GemmPeak.Result> results = GemmPeak.measure(GEMM_TOKENS, 768, 3072, gemmSeconds);
            System.out.println(RESULT + mapper.writeValueAsString(Map.of("nd4jBuild", loadedBuild(), "results", results)));
            return 0;
        }
        if (worker != null) {
            return embedWorker();
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> report = new LinkedHashMap<>();
        // In a child JVM each: with OMP_WAIT_POLICY=PASSIVE (as taskbert runs) and with OpenMP's default spinning,
        // which keeps a tight loop of GEMMs faster; the peak is the better of the two.
        List<GemmPeak.Result> gemm = new ArrayList<>();
        String gemmBuild = null;
        for (String policy : List.of("PASSIVE", "")) {
            JsonNode worker = child(List.of("bench", "--worker", "gemm", "--gemm-seconds", String.valueOf(gemmSeconds)),
                    List.of(), Map.of("OMP_WAIT_POLICY", policy));
            gemmBuild = worker.get("nd4jBuild").asText();
            for (JsonNode r : worker.get("results")) {
                gemm.add(new GemmPeak.Result(r.get("path").asText() + ", OMP " + (policy.isEmpty() ? "default" : policy),
                        r.get("shape").asText(), r.get("gflops").asDouble()));
            }
        }
        double peak = gemm.stream().mapToDouble(GemmPeak.Result::gflops).max().orElse(Double.NaN);
        out.println("GEMM float32 (GFLOP/s):");
        for (GemmPeak.Result r : gemm) {
            out.printf("  %-52s %-24s %7.1f%n", r.path(), r.shape(), r.gflops());
        }
        out.printf("  peak: %.1f GFLOP/s (ND4J build %s)%n", peak, gemmBuild);
        report.put("gemmNd4jBuild", gemmBuild);
        report.put("gemm", gemm);
        report.put("gemmPeakGflops", peak);
        out.flush();

        List<Map<String, Object>> embed = new ArrayList<>();
        if (!files.isEmpty()) {
            for (int b : batchSizes) {
                for (String engine : engines) {
                  for (String build : natives) {
                    List<String> args = new ArrayList<>(List.of("bench", "--worker", engine + ":" + b, "-m", model,
                            "--max-sentences", String.valueOf(maxSentences)));
                    files.forEach(f -> args.add(f.toString()));
                    Map<String, Object> row = mapper.convertValue(child(args, nativeOptions(build)), Map.class);
                    row.put("natives", build);
                    double gflops = ((Number) row.get("forwardGflop")).doubleValue() / ((Number) row.get("seconds")).doubleValue();
                    row.put("effectiveGflops", gflops);
                    row.put("fractionOfGemmPeak", gflops / peak);
                    embed.add(row);
                    out.printf(Locale.ROOT, "embed %s, engine %s, ND4J %s (%s), batch %d: %d sentences (%d tokens) in %.1f s ="
                            + " %.1f sentences/s, %.1f GFLOP/s effective = %.0f%% of GEMM peak; peak RSS %.0f MiB%n",
                            model, engine, build, row.get("nd4jBuild"), b, row.get("sentences"), row.get("tokens"), row.get("seconds"),
                            row.get("sentencesPerSecond"), gflops, 100 * gflops / peak, row.get("peakResidentMiB"));
                    out.flush();
                  }
                }
            }
        }
        report.put("embed", embed);

        List<Map<String, Object>> train = new ArrayList<>();
        for (Path config : trainConfigs) {
          for (Integer layers : trainLayers.isEmpty() ? java.util.Collections.<Integer>singletonList(null) : trainLayers) {
            Map<String, Object> row = trainWorkload(config, layers);
            double gflops = (Double) row.get("trainGflopPerStep") / (Double) row.get("secondsPerStep");
            row.put("effectiveGflops", gflops);
            row.put("fractionOfGemmPeak", gflops / peak);
            train.add(row);
            out.printf(Locale.ROOT, "train %s %s, %s layers trained: %.2f s/step (median of steps 3..%d), %.1f examples/s, %.1f GFLOP/s"
                    + " effective = %.0f%% of GEMM peak; peak RSS %.0f MiB%n", config, trainSets, row.get("trainLayers"),
                    row.get("secondsPerStep"),
                    trainSteps, row.get("examplesPerSecond"), gflops, 100 * gflops / peak, row.get("peakResidentMiB"));
            out.flush();
          }
        }
        report.put("train", train);
        if (torchPeer != null) {
            List<Map<String, Object>> peer = torchPeer(peak);
            report.put("pytorch", peer);
            for (Map<String, Object> row : peer) {
                double gflops = (Double) row.get("effectiveGflops");
                Map<String, Object> ours = row.containsKey("sentencesPerSecond")
                        ? embed.stream().filter(r -> r.get("batchSize").equals(row.get("batchSize"))
                                && "inference".equals(r.get("engine"))).findFirst().orElse(null)
                        : train.stream().filter(r -> java.util.Objects.equals(r.get("trainLayers"), row.get("trainLayers")))
                                .findFirst().orElse(null);
                Double ratio = ours == null ? null : (Double) ours.get("effectiveGflops") / gflops;
                row.put("taskbertOverPytorch", ratio);
                out.printf(Locale.ROOT, "pytorch %s: %.1f GFLOP/s effective = %.0f%% of GEMM peak; taskbert/pytorch = %s%n",
                        row.containsKey("sentencesPerSecond") ? "embed batch " + row.get("batchSize")
                                : "train step " + row.get("secondsPerStep") + " s", gflops, 100 * gflops / peak,
                        ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio));
            }
        }
        if (json.toAbsolutePath().getParent() != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        return 0;
    }

    /** The distinct sentences of the STS files, in file order (the first {@code --max-sentences}). */
    private List<String> sentences() throws IOException {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (Path f : files) {
            for (StsPair p : StsEvaluation.read(f).pairs()) {
                unique.add(p.sentence1());
                unique.add(p.sentence2());
            }
        }
        List<String> all = List.copyOf(unique);
        return maxSentences > 0 && maxSentences < all.size() ? all.subList(0, maxSentences) : all;
    }

    /** Runs the PyTorch peer on the same token ids (and the training shape of the first training workload). */
    private List<Map<String, Object>> torchPeer(double peak) throws IOException, InterruptedException {
        LoadedModel m = Models.load(model);
        Path ids = Files.createTempFile("taskbert-bench-ids", ".jsonl");
        List<String> lines = new ArrayList<>();
        for (String s : sentences()) {
            lines.add(mapper.writeValueAsString(m.tokenizer().encode(s, 512).inputIds()));
        }
        Files.write(ids, lines, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(python, torchScript.toString(), "--model-dir", torchPeer.toString(),
                "--ids", ids.toString(), "--batch-sizes", String.join(",", batchSizes.stream().map(String::valueOf).toList()),
                "--train-steps", String.valueOf(trainSteps), "--train-layers", peerTrainLayers));
        if (torchCheck != null) {
            cmd.addAll(List.of("--check", torchCheck.toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    Map<String, Object> row = mapper.readValue(line.substring(RESULT.length()), Map.class);
                    double gflops = row.containsKey("sentencesPerSecond")
                            ? ((Number) row.get("forwardGflop")).doubleValue() / ((Number) row.get("seconds")).doubleValue()
                            : ((Number) row.get("trainGflopPerStep")).doubleValue()
                                    / ((Number) row.get("secondsPerStep")).doubleValue();
                    row.put("effectiveGflops", gflops);
                    row.put("fractionOfGemmPeak", gflops / peak);
                    rows.add(row);
                }
            }
        }
        if (p.waitFor() != 0 || rows.isEmpty()) {
            throw new IllegalStateException("the PyTorch peer " + cmd + " failed (exit " + p.exitValue() + ")");
        }
        return rows;
    }

    /** Embeds the distinct sentences of the STS files once after a warm-up; prints the result as one JSON line. */
    private int embedWorker() throws IOException {
        String[] spec = worker.split(":");
        int b = Integer.parseInt(spec[1]);
        LoadedModel m = Models.load(model);
        List<String> unique = sentences();
        List<Encoding> inputs = new ArrayList<>();
        long tokens = 0;
        double flops = 0;
        for (String s : unique) {
            Encoding e = m.tokenizer().encode(s, 512);
            inputs.add(e);
            tokens += e.length();
            flops += Flops.forward(m.config(), e.length());
        }
        try (Encoder enc = new org.taskbert.encoder.InferenceEncoder(m.weights(), b)) {
            enc.encode(inputs.subList(0, Math.min(2 * b, inputs.size())), EnumSet.of(Pooling.CLS), Encoder.Progress.NONE);
            long start = System.nanoTime();
            enc.encode(inputs, EnumSet.of(Pooling.CLS, Pooling.MEAN), Encoder.Progress.NONE);
            double sec = (System.nanoTime() - start) / 1e9;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("engine", spec[0]);
            row.put("batchSize", b);
            row.put("sentences", inputs.size());
            row.put("tokens", tokens);
            row.put("seconds", sec);
            row.put("sentencesPerSecond", inputs.size() / sec);
            row.put("forwardGflop", flops / 1e9);
            row.put("peakResidentMiB", Memory.peakResidentMiB());
            row.put("nd4jBuild", loadedBuild());
            System.out.println(RESULT + mapper.writeValueAsString(row));
        }
        return 0;
    }

    /** Runs {@code taskbert train} on the config in a child JVM and stops it once the wanted steps are logged. */
    private Map<String, Object> trainWorkload(Path config, Integer layers) throws IOException, InterruptedException {
        Path runDir = Files.createTempDirectory("taskbert-bench-train");
        List<String> args = new ArrayList<>(List.of("train", config.toString(), "--set", "output=" + runDir,
                "--set", "training.steps=" + (trainSteps + 1000), "--set", "training.eval_every=100000",
                "--set", "training.checkpoint_every=100000", "--set", "training.warmup_steps=1"));
        trainSets.forEach(s -> {
            args.add("--set");
            args.add(s);
        });
        if (layers != null) {
            args.add("--set");
            args.add("training.train_layers=" + layers);
        }
        Process p = start(args, List.of(), ProcessBuilder.Redirect.INHERIT);
        Path metrics = runDir.resolve("metrics.jsonl");
        List<JsonNode> steps = new ArrayList<>();
        try {
            while (steps.size() < trainSteps) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("training workload " + config + " ended (exit " + p.exitValue()
                            + ") after " + steps.size() + " steps; see its output above");
                }
                TimeUnit.SECONDS.sleep(1);
                steps.clear();
                if (Files.exists(metrics)) {
                    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                        JsonNode n = mapper.readTree(line);
                        if (n.has("step_seconds")) {
                            steps.add(n);
                        }
                    }
                }
            }
        } finally {
            p.destroyForcibly().waitFor();
        }
        List<JsonNode> timed = steps.subList(2, trainSteps);
        double[] secs = timed.stream().mapToDouble(n -> n.get("step_seconds").asDouble()).sorted().toArray();
        double median = secs[secs.length / 2];
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("config", config.toString());
        row.put("overrides", List.copyOf(trainSets));
        row.put("secondsPerStep", median);
        row.put("trainLayers", timed.get(0).has("train_layers") ? timed.get(0).get("train_layers").asInt() : null);
        row.put("stepSeconds", timed.stream().map(n -> n.get("step_seconds").asDouble()).toList());
        row.put("examplesPerSecond", timed.stream().mapToDouble(n -> n.get("examples_per_second").asDouble()).average()
                .orElse(Double.NaN));
        row.put("trainGflopPerStep", timed.stream().mapToDouble(n -> n.get("train_gflop").asDouble()).average()
                .orElse(Double.NaN));
        row.put("peakResidentMiB", steps.stream().mapToDouble(n -> n.get("peak_rss_mib").asDouble()).max().orElse(0));
        return row;
    }

    /** Runs a child taskbert JVM (same java, classpath and heap limit) and returns the JSON its worker printed. */
    private JsonNode child(List<String> args, List<String> jvm) throws IOException, InterruptedException {
        return child(args, jvm, Map.of());
    }

    /** As {@link #child(List, List)}; an empty value in {@code env} removes that variable. */
    private JsonNode child(List<String> args, List<String> jvm, Map<String, String> env)
            throws IOException, InterruptedException {
        Process p = start(args, jvm, ProcessBuilder.Redirect.PIPE, env);
        JsonNode result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    result = mapper.readTree(line.substring(RESULT.length()));
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("benchmark workload " + args + " failed (exit " + exit + ")");
        }
        return result;
    }

    /** The folder of the ND4J native library this JVM loaded, e.g. "linux-x86_64-avx2". */
    private static String loadedBuild() {
        return NativeBuild.loadedNd4jLibraries().stream().filter(p -> p.endsWith("libnd4jcpu.so"))
                .map(p -> Path.of(p).getParent().getFileName().toString()).findFirst().orElse("unknown");
    }

    /** JVM options that select an ND4J build: JavaCPP loads the jar whose classifier ends in the extension. */
    private static List<String> nativeOptions(String build) {
        return switch (build) {
            case "default" -> List.of();
            case "generic" -> List.of("-D" + NativeBuild.PROPERTY + "=");
            case "avx2" -> List.of("-D" + NativeBuild.PROPERTY + "=-avx2");
            default -> throw new CommandLine.ParameterException(new CommandLine(new BenchCommand()),
                    "--natives: unknown build '" + build + "' (default, generic, avx2)");
        };
    }

    private static Process start(List<String> args, List<String> jvm, ProcessBuilder.Redirect stdout)
            throws IOException {
        return start(args, jvm, stdout, Map.of());
    }

    private static Process start(List<String> args, List<String> jvm, ProcessBuilder.Redirect stdout,
            Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m");
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout).redirectError(ProcessBuilder.Redirect.INHERIT);
        env.forEach((k, v) -> {
            if (v.isEmpty()) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        return pb.start();
    }
}
