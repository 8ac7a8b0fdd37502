package org.spikerl.cli;

import java.io.PrintWriter;
import org.spikerl.SpikerlException;
import org.spikerl.control.StopRequest;
import org.spikerl.results.OutputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikerl}: the command line. Every error prints as one line on stderr ({@code --debug}
 * adds the stack trace) and exits with a status that says its kind: 2 bad input (usage, files,
 * values), 3 bad output (results cannot be written: the path and the cause are named), 1 an
 * internal error (a bug), 130 / 143 interrupted by SIGINT / SIGTERM (finished work kept).
 */
@Command(name = "spikerl", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        resourceBundle = "org.spikerl.cli.HelpValues",
        description = "Convert RL actors to spiking networks and evaluate them on Gymnasium MuJoCo tasks.",
        subcommands = {EvalCommand.class, ConvertCommand.class, SweepCommand.class, DiagnoseCommand.class,
                BenchCommand.class, InspectCommand.class})
public final class Main implements Runnable {

    /** Exit status for bad input (usage, files, values). */
    public static final int EXIT_USAGE = 2;
    /** Exit status for an internal error (a bug). */
    public static final int EXIT_INTERNAL = 1;
    /** Exit status for bad output: results could not be written (disk full, permission). */
    public static final int EXIT_OUTPUT = 3;
    /** Exit status for a run stopped by SIGINT (SIGTERM: 143, 128 + the signal's number). */
    public static final int EXIT_INTERRUPTED = 130;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces on errors.")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "a command is required: eval, convert, sweep or bench");
    }

    public static void main(String[] args) {
        StopSignals.install();
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit status (used by tests). */
    public static int execute(String... args) {
        return execute(CommandLine.defaultFactory(), args);
    }

    /** Like {@link #execute(String...)} with commands made by {@code factory} (tests configure them through it). */
    static int execute(CommandLine.IFactory factory, String... args) {
        StopRequest.clear();
        CommandLine cli = new CommandLine(new Main(), factory);
        // convert always converts: the shared conversion options' --snn switch has no place in its help.
        CommandLine convert = cli.getSubcommands().get("convert");
        convert.getCommandSpec().remove(convert.getCommandSpec().findOption("--snn"));
        cli.setParameterExceptionHandler(Main::onUsageError);
        cli.setExecutionExceptionHandler(Main::onExecutionError);
        return cli.execute(args);
    }

    private static int onUsageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        // One line, like every other error, so scripts can grep it.
        err.println("spikerl: error: " + oneLine(e.getMessage()) + " (see '"
                + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return EXIT_USAGE;
    }

    private static int onExecutionError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean debug = parsed.hasMatchedOption("--debug")
                || (parsed.commandSpec().root().userObject() instanceof Main m && m.debug);
        if (debug) {
            e.printStackTrace(err);
        }
        if (StopRequest.requested()) {
            // Whatever failed after the stop was asked for (often the bridge, which got the signal too).
            err.println("spikerl: interrupted: " + oneLine(e.getMessage()));
            err.flush();
            return StopSignals.exitStatus();
        }
        OutputException output = OutputException.find(e);
        if (output != null) {
            err.println("spikerl: error: " + oneLine(e instanceof SpikerlException ? e.getMessage() : output.getMessage()));
            err.flush();
            return EXIT_OUTPUT;
        }
        if (e instanceof SpikerlException) {
            err.println("spikerl: error: " + oneLine(e.getMessage()));
            err.flush();
            return EXIT_USAGE;
        }
        err.println("spikerl: internal error: " + oneLine(e.toString())
                + (debug ? "" : " (rerun with --debug for the stack trace)"));
        err.flush();
        return EXIT_INTERNAL;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " | ");
    }

    /** Version from the jar manifest and the git commit of the spikerl checkout. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"spikerl " + org.spikerl.results.Provenance.describeBuild(
                    org.spikerl.run.Evaluation.home())};
        }
    }
}
