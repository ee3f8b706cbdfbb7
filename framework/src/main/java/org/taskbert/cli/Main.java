package org.taskbert.cli;

import java.io.PrintWriter;
import org.taskbert.runtime.NativeBuild;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code taskbert} command line. */
@Command(
        name = "taskbert",
        mixinStandardHelpOptions = true,
        version = "taskbert 0.1.0",
        description = "Fine-tune BERT for the purpose you have, and measure it against generic embeddings.",
        subcommands = {
            EmbedCommand.class,
            EvalCommand.class,
            BenchCommand.class,
            CompareCommand.class,
            TrainCommand.class,
            ExportCommand.class,
            TasksCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code; errors print as one clear line, not a stack trace. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)} with the given output and error streams (tests read them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        NativeBuild.select();
        NativeBuild.threadWarning(System.getenv()).ifPresent(w -> err.println("warning: " + w));
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter errors = cmd.getErr();
            errors.println("error: " + message(e));
            if (System.getenv("TASKBERT_DEBUG") != null) {
                e.printStackTrace(errors);
            }
            errors.flush();
            return 1;
        });
        return cli.execute(args);
    }

    private static String message(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : e.toString();
        // Wrappers say little of their own: show what they wrap.
        boolean wrapper = e instanceof java.io.UncheckedIOException || e.getMessage() == null;
        return wrapper
                        && e.getCause() != null
                        && e.getCause().getMessage() != null
                        && !m.contains(e.getCause().getMessage())
                ? m + " (" + e.getCause().getMessage() + ")"
                : m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
