package org.taskbert.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
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
            AverageCommand.class,
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
        return run(debug(System.getenv()), out, err, args);
    }

    /**
     * As {@link #run(PrintWriter, PrintWriter, String...)}; with {@code debug} (set by {@code TASKBERT_DEBUG=1}) each
     * error's stack trace follows its line. Every {@link Throwable}, an {@link Error} such as
     * {@link OutOfMemoryError} or {@link StackOverflowError} included, ends the command with one line on the error
     * stream and exit code 1.
     */
    static int run(boolean debug, PrintWriter out, PrintWriter err, String... args) {
        try {
            NativeBuild.select();
            NativeBuild.threadWarning(System.getenv()).ifPresent(w -> err.println("warning: " + w));
            CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
            cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr(), debug));
            return cli.execute(args);
        } catch (Throwable e) { // picocli lets Errors through; an OutOfMemoryError has unwound its allocations here
            return report(e, err, debug);
        }
    }

    public static boolean debug(java.util.Map<String, String> env) {
        String value = env.get("TASKBERT_DEBUG");
        return value != null && !value.isEmpty() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    /** Prints {@code e} as one line (and its stack trace when debugging); returns the exit code, 1. */
    public static int report(Throwable e, PrintWriter errors, boolean debug) {
        Throwable cause = e instanceof CommandLine.ExecutionException && e.getCause() != null ? e.getCause() : e;
        boolean bug = cause instanceof Error && !(cause instanceof OutOfMemoryError);
        errors.println("error: " + message(cause) + (bug && !debug ? " (TASKBERT_DEBUG=1 shows the stack trace)" : ""));
        if (debug) {
            cause.printStackTrace(errors);
        }
        errors.flush();
        return 1;
    }

    static String message(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "); give the JVM more with TASKBERT_JAVA_OPTS=-Xmx..., or"
                    + " use smaller inputs or batches";
        }
        if (e instanceof StackOverflowError) {
            StackTraceElement[] at = e.getStackTrace();
            return "stack overflow (a recursion without end"
                    + (at.length > 0 ? ", in " + at[0].getClassName() + "." + at[0].getMethodName() : "") + ")";
        }
        if (e instanceof Error) {
            return "internal error: " + e;
        }
        if (e instanceof NoSuchFileException missing && missing.getReason() == null) {
            return missing.getFile() + ": does not exist";
        }
        if (e instanceof AccessDeniedException denied && denied.getReason() == null) {
            return denied.getFile() + ": permission denied";
        }
        String m = e.getMessage() != null ? e.getMessage() : e.toString();
        // Wrappers say little of their own: show what they wrap.
        boolean wrapper = e instanceof java.io.UncheckedIOException || e.getMessage() == null;
        if (wrapper && e.getCause() != null) {
            String wrapped = message(e.getCause());
            return m.contains(wrapped) ? m : m + " (" + wrapped + ")";
        }
        return m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
