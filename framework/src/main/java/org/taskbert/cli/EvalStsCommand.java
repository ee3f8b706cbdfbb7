package org.taskbert.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.data.AtomicFile;
import org.taskbert.spi.eval.StsEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskbert eval sts}: Spearman ×100 of cosine against gold scores, per file and pooling. */
@Command(
        name = "sts",
        mixinStandardHelpOptions = true,
        description = "Spearman x100 between the cosine of the two sentences' vectors and the gold score.")
final class EvalStsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(
            names = {"-p", "--pooling"},
            defaultValue = "all",
            description = "comma-separated poolings or all")
    String pooling;

    @Option(
            names = "--json",
            defaultValue = "out/eval-sts.json",
            description = "results for machines (default ${DEFAULT-VALUE})")
    Path json;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JSONL files of {sentence1, sentence2, score}")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        Set<Pooling> poolings = Pooling.parseList(pooling);
        for (Path file : files) {
            Preflight.inputFile(file);
        }
        Preflight.outputFile(json, files);
        List<StsEvaluation.FileResult> results = new ArrayList<>();
        long start = System.nanoTime();
        Optional<String> unknown;
        try (TextEncoder enc = model.open()) {
            for (Path file : files) {
                StsEvaluation.FileResult r = StsEvaluation.evaluate(
                        enc.reporting(n -> ProgressBars.start(file.getFileName().toString(), n, "sent")),
                        file,
                        poolings);
                results.add(r);
            }
            unknown = enc.tokenizer().unknownPieces().report();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().print(table(poolings, results));
        spec.commandLine().getOut().flush();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.model);
        out.put("poolings", poolings.stream().map(Pooling::id).toList());
        out.put("results", results);
        out.put("seconds", seconds);
        byte[] bytes =
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out);
        AtomicFile.write(json, sink -> sink.write(bytes));
        spec.commandLine().getErr().printf("results in %s (%.0f s)%n", json, seconds);
        unknown.ifPresent(spec.commandLine().getErr()::println);
        return 0;
    }

    static String table(Set<Pooling> poolings, List<StsEvaluation.FileResult> results) {
        StringBuilder sb = new StringBuilder(String.format("%-32s %6s", "file", "pairs"));
        poolings.forEach(p -> sb.append(String.format(" %15s", p.id())));
        sb.append('\n');
        for (StsEvaluation.FileResult r : results) {
            sb.append(String.format("%-32s %6d", StsEvaluation.shortName(r.file()), r.pairs()));
            poolings.forEach(
                    p -> sb.append(String.format(" %15.2f", r.spearman().get(p.id()))));
            sb.append('\n');
        }
        return sb.toString();
    }
}
