package org.spikerl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikerl.SpikerlException;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.ObservationNorm;
import org.spikerl.actor.io.ActorInspection;
import org.spikerl.actor.io.ActorLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code spikerl inspect}: what the importer makes of an actor file, before a long run: format,
 * layout, layers, activation, head and bounds, observation normalisation and where it came from,
 * SHA-256, and whether it can be converted (if not, why). Needs no Python. A file of observation
 * statistics (VecNormalize pickle, JSON) given as {@code --policy} is described as such.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show what spikerl reads from an actor file (format, layout, layers, head, normalisation)"
                + " and whether it can be converted.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policy", required = true, description = "Actor file (or a file of observation statistics).")
    Path policy;

    @Mixin
    NormalizationArg normalization;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ActorInspection a;
        try {
            a = ActorLoader.inspect(policy, normalization.file);
        } catch (SpikerlException notAnActor) {
            ObservationNorm stats = statisticsOrNull(policy);
            if (stats == null) {
                throw notAnActor;
            }
            row(out, "file", policy.toString());
            row(out, "sha256", stats.origin().sha256());
            row(out, "content", "observation statistics (" + stats.origin().kind() + "), not an actor: give it to"
                    + " eval with --normalization, or keep it where the actor finds it");
            row(out, "statistics", describe(stats));
            out.flush();
            return 0;
        }
        row(out, "file", a.file().toString());
        row(out, "sha256", a.sha256());
        row(out, "format", a.format() + (a.notes().isEmpty() ? "" : " (" + String.join("; ", a.notes()) + ")"));
        row(out, "layout", a.layout());
        if (a.layers() != null) {
            row(out, "layers", layers(a.layers()));
        }
        row(out, "ignored", a.ignored().isEmpty() ? "nothing" : String.join("; ", a.ignored()));
        row(out, "activation", a.activation() + " (" + a.activationSource() + ")");
        String head = a.head().equals("tanh") ? "tanh(y) * (high - low) / 2 + (high + low) / 2" : "clip(y, low, high)";
        row(out, "head", head + "; bounds " + (a.low() == null ? "not stored: the environment's are used"
                : "stored: low " + Arrays.toString(a.low()) + " high " + Arrays.toString(a.high())));
        row(out, "normalisation", a.norm() == null ? "none found (observations go to the network as they are)"
                : describe(a.norm()));
        row(out, "convertible", a.convertible() ? "yes" : "no: " + a.problem());
        out.flush();
        return 0;
    }

    private static ObservationNorm statisticsOrNull(Path file) {
        try {
            return ActorLoader.readNormalization(file);
        } catch (SpikerlException e) {
            return null;
        }
    }

    private static String describe(ObservationNorm n) {
        String s = String.format(Locale.ROOT, "clip((o - mean) / sqrt(var + %.3g), -%s, %s) over %d entries",
                n.eps(), trim(n.clip()), trim(n.clip()), n.size());
        ObservationNorm.Origin o = n.origin();
        if (o != null) {
            s += "; " + o.kind() + " " + o.file() + " (" + o.how() + "), sha256 " + o.sha256();
        }
        return s;
    }

    private static String layers(List<DenseLayer> layers) {
        StringBuilder sizes = new StringBuilder().append(layers.get(0).in());
        long macs = 0;
        int hidden = 0;
        for (int l = 0; l < layers.size(); l++) {
            sizes.append('-').append(layers.get(l).out());
            macs += layers.get(l).macs();
            hidden += l < layers.size() - 1 ? layers.get(l).out() : 0;
        }
        return String.format(Locale.ROOT, "%s (%d dense layers, %d hidden neurons, %d MACs per action)", sizes,
                layers.size(), hidden, macs);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf(Locale.ROOT, "%-14s %s%n", key, value);
    }
}
