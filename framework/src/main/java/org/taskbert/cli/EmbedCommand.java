package org.taskbert.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.taskbert.data.JsonlVectors;
import org.taskbert.data.NpyVectors;
import org.taskbert.data.TextLines;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.spi.Pooling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code taskbert embed}: one vector per input text, in input order. */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = {
            "Embed texts: one text a line (empty lines too), or JSONL with a 'text' field.",
            "With several poolings, each gets its own file: OUT.cls.jsonl, OUT.mean.jsonl, ..."
        })
final class EmbedCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    enum Format {
        jsonl,
        npy
    }

    @Mixin
    ModelOptions model;

    @Option(
            names = {"-p", "--pooling"},
            defaultValue = "cls",
            description = "comma-separated: cls, pooler, mean, max, first_last_avg, or all (default ${DEFAULT-VALUE})")
    String pooling;

    @Option(
            names = {"-i", "--input"},
            required = true,
            description = "text or .jsonl file")
    Path input;

    @Option(
            names = {"-o", "--output"},
            required = true,
            description = "output file")
    Path output;

    @Option(names = "--format", defaultValue = "jsonl", description = "jsonl (a JSON array a line) or npy (float32)")
    Format format;

    @Option(names = "--normalize", description = "L2-normalise each vector")
    boolean normalize;

    @Override
    public Integer call() throws Exception {
        Set<Pooling> poolings = Pooling.parseList(pooling);
        Preflight.inputFile(input);
        for (Path out : outputs(poolings)) {
            Preflight.outputFile(out, List.of(input));
        }
        List<String> texts = TextLines.read(input);
        Map<Pooling, float[][]> vectors;
        Optional<String> unknown;
        try (TextEncoder enc = model.open();
                ProgressBar bar = ProgressBars.open("embed", texts.size(), "texts")) {
            vectors = enc.embed(texts, poolings, normalize, ProgressBars.reporter(bar));
            unknown = enc.tokenizer().unknownPieces().report();
        }
        for (Pooling p : poolings) {
            Path out = poolings.size() == 1 ? output : withPooling(output, p);
            List<float[]> rows = Arrays.asList(vectors.get(p));
            if (format == Format.npy) {
                NpyVectors.write(out, rows);
            } else {
                JsonlVectors.write(out, rows);
            }
            spec.commandLine().getErr().printf("wrote %d %s vectors to %s%n", rows.size(), p, out);
        }
        unknown.ifPresent(spec.commandLine().getErr()::println);
        return 0;
    }

    /** The files written: the output, or one per pooling. */
    private List<Path> outputs(Set<Pooling> poolings) {
        return poolings.size() == 1
                ? List.of(output)
                : poolings.stream().map(p -> withPooling(output, p)).toList();
    }

    /** out.jsonl → out.mean.jsonl */
    static Path withPooling(Path output, Pooling p) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String renamed = dot > 0 ? name.substring(0, dot) + "." + p.id() + name.substring(dot) : name + "." + p.id();
        return output.resolveSibling(renamed);
    }
}
