package org.spikerl.cli;

import java.io.PrintWriter;
import org.spikerl.SpikerlException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikerl}: the command line. Errors a user can fix print as one line on stderr and exit
 * with status 2; {@code --debug} adds the stack trace.
 */
@Command(name = "spikerl", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convert RL actors to spiking networks and evaluate them on Gymnasium MuJoCo tasks.",
        subcommands = {EvalCommand.class, ConvertCommand.class, SweepCommand.class, DiagnoseCommand.class,
                BenchCommand.class, InspectCommand.class})
public final class Main implements Runnable {

    /** Exit status for bad input (usage, files, values). */
    public static final int EXIT_USAGE = 2;
    /** Exit status for an internal error (a bug). */
    public static final int EXIT_INTERNAL = 1;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces on errors.")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "a command is required: eval, convert, sweep or bench");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit status (used by tests). */
    public static int execute(String... args) {
        return execute(CommandLine.defaultFactory(), args);
    }

    /** Like {@link #execute(String...)} with commands made by {@code factory} (tests configure them through it). */
    static int execute(CommandLine.IFactory factory, String... args) {
        CommandLine cli = new CommandLine(new Main(), factory);
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

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"spikerl " + (v != null ? v : "dev")};
        }
    }
}
