package org.taskbert.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taskbert.bench.Flops;
import org.taskbert.bench.GemmPeak;
import org.taskbert.bench.Memory;
import org.taskbert.data.StsPair;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.encoder.SameDiffEncoder;
import org.taskbert.eval.StsEvaluation;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.tokenize.Encoding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskbert bench}: measured speed, quoted against the GEMM peak measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the GEMM peak and BERT embedding throughput in one run.",
                "Throughput counts only real tokens: 2 x 85M FLOPs per token plus attention."})
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, defaultValue = "bert-base-uncased")
    String model;

    @Option(names = "--batch-sizes", defaultValue = "32,128", split = ",")
    List<Integer> batchSizes;

    @Option(names = "--gemm-seconds", defaultValue = "3", description = "time per GEMM shape")
    int gemmSeconds;

    @Option(names = "--json", defaultValue = "out/bench.json")
    Path json;

    @Parameters(arity = "0..*", paramLabel = "STS_FILE", description = "STS JSONL files whose sentences are embedded")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> report = new LinkedHashMap<>();
        List<GemmPeak.Result> gemm = GemmPeak.measure(1024, 768, 3072, gemmSeconds);
        double peak = gemm.stream().mapToDouble(GemmPeak.Result::gflops).max().orElse(Double.NaN);
        out.println("GEMM float32 (GFLOP/s):");
        for (GemmPeak.Result r : gemm) {
            out.printf("  %-28s %-24s %7.1f%n", r.path(), r.shape(), r.gflops());
        }
        out.printf("  peak: %.1f GFLOP/s%n", peak);
        report.put("gemm", gemm);
        report.put("gemmPeakGflops", peak);
        out.flush();

        if (!files.isEmpty()) {
            LoadedModel m = Models.load(model);
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            for (Path f : files) {
                for (StsPair p : StsEvaluation.read(f).pairs()) {
                    unique.add(p.sentence1());
                    unique.add(p.sentence2());
                }
            }
            List<Encoding> inputs = new ArrayList<>();
            var tok = m.tokenizer();
            long tokens = 0;
            double flops = 0;
            for (String s : unique) {
                Encoding e = tok.encode(s, 512);
                inputs.add(e);
                tokens += e.length();
                flops += Flops.forward(m.config(), e.length());
            }
            List<Map<String, Object>> embed = new ArrayList<>();
            for (int b : batchSizes) {
                try (SameDiffEncoder enc = new SameDiffEncoder(m.weights(), b)) {
                    enc.encode(inputs.subList(0, Math.min(2 * b, inputs.size())), EnumSet.of(Pooling.CLS),
                            Encoder.Progress.NONE); // warm-up
                    long start = System.nanoTime();
                    enc.encode(inputs, EnumSet.of(Pooling.CLS, Pooling.MEAN), Encoder.Progress.NONE);
                    double sec = (System.nanoTime() - start) / 1e9;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("batchSize", b);
                    row.put("sentences", inputs.size());
                    row.put("tokens", tokens);
                    row.put("seconds", sec);
                    row.put("sentencesPerSecond", inputs.size() / sec);
                    row.put("effectiveGflops", flops / sec / 1e9);
                    row.put("fractionOfGemmPeak", flops / sec / 1e9 / peak);
                    row.put("peakResidentMiB", Memory.peakResidentMiB());
                    embed.add(row);
                    out.printf("embed %s batch %d: %d sentences (%d tokens) in %.1f s = %.1f sentences/s,"
                            + " %.1f GFLOP/s effective = %.0f%% of GEMM peak; peak RSS %.0f MiB%n", model, b,
                            inputs.size(), tokens, sec, inputs.size() / sec, flops / sec / 1e9,
                            100 * flops / sec / 1e9 / peak, Memory.peakResidentMiB());
                    out.flush();
                }
            }
            report.put("embed", embed);
        }
        if (json.toAbsolutePath().getParent() != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        return 0;
    }
}
