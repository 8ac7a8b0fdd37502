package org.spikerl.actor.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.spikerl.SpikerlException;
import org.spikerl.actor.ActionHead;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.EnvFit;
import org.spikerl.actor.ObservationNorm;
import org.spikerl.env.EnvSpec;

/**
 * Loads a pretrained actor into {@link Actor}, whatever format and layout it was saved in:
 * <ol>
 * <li>the format is told by content, never by file name: the first of {@link #READERS} that
 *     {@linkplain ActorReader#accepts accepts} the file reads it (Stable-Baselines3 / sb3-contrib
 *     zip, TorchScript, {@code torch.save} state dict or tuple of state dicts, safetensors with a
 *     sidecar);</li>
 * <li>the reader finds the layout by its keys ({@link ActorLayouts}: SB3 TD3/DDPG, SAC/TQC,
 *     PPO/A2C; the CRPI repository's TD3 and SAC; CleanRL's TD3/DDPG and SAC; {@code nn.Sequential})
 *     and returns the tensors, the bounds and normalisation it stores and the activation it
 *     records;</li>
 * <li>here, the same for every format: only ReLU actors are accepted (the conversion to spiking
 *     neurons needs ReLU; train SB3's PPO with {@code policy_kwargs=dict(activation_fn=torch.nn.ReLU)});
 *     the layers are built and checked (shapes, chaining, finite weights); the actor is checked
 *     against the environment ({@link EnvFit}); the head is made; the observation statistics are
 *     found ({@link Normalization}: {@code --normalization}, the RL Zoo's
 *     {@code ENV/vecnormalize.pkl}, {@code <stem>.vecnormalize.json}).</li>
 * </ol>
 *
 * <p><b>Head.</b> SAC, TD3, DDPG and the research layouts get {@code tanh(y) * scale + bias} with
 * {@code scale = (high - low) / 2}, {@code bias = (high + low) / 2} (SPEC section 2); with
 * symmetric bounds this is TD3's {@code max_action * tanh(y)} with {@code max_action = high}.
 * PPO and A2C get {@code clip(y, low, high)}. Bounds stored in the file (SB3 {@code data},
 * CleanRL's {@code action_scale} / {@code action_bias}, the safetensors sidecar) are used; other
 * files do not store them, so the env's bounds must be given in {@link Options}. When both are
 * present they must agree.
 *
 * <p><b>Errors</b> are one-line {@link SpikerlException}s that start with the file: missing or
 * unreadable file, unrecognised content, truncated zip or pickle, unknown layout (listing the
 * tensors found and the layouts supported), shapes that do not chain, non-finite weights or
 * statistics (naming the tensor or field), refused activations, missing or inconsistent bounds,
 * statistics of the wrong size or missing where the RL Zoo's config says they belong.
 */
public final class ActorLoader {

    /**
     * What the file may not say by itself.
     *
     * @param actionLow env action lower bounds, or {@code null}
     * @param actionHigh env action upper bounds, or {@code null} (both or neither)
     * @param normalization observation statistics (VecNormalize pickle or JSON), or {@code null}
     *        to look for them where {@link Normalization} says (the RL Zoo's
     *        {@code ENV/vecnormalize.pkl}, {@code <stem>.vecnormalize.json})
     * @param env the environment the actor is for, or {@code null}; when set, an actor whose
     *        input or output size differs from the env's is refused with a message naming both
     */
    public record Options(double[] actionLow, double[] actionHigh, Path normalization, EnvSpec env) {
        public Options {
            if ((actionLow == null) != (actionHigh == null)) {
                throw new IllegalArgumentException("give both action bounds or neither");
            }
            if (actionLow != null) {
                if (actionLow.length != actionHigh.length) {
                    throw new IllegalArgumentException("action bounds differ in size: " + actionLow.length
                            + " vs " + actionHigh.length);
                }
                actionLow = actionLow.clone();
                actionHigh = actionHigh.clone();
                for (int i = 0; i < actionLow.length; i++) {
                    if (!(actionLow[i] <= actionHigh[i])) {
                        throw new IllegalArgumentException("action bound " + i + ": low " + actionLow[i]
                                + " is not <= high " + actionHigh[i]);
                    }
                }
            }
        }

        /** No bounds, normalisation looked up beside the actor. */
        public static Options defaults() {
            return new Options(null, null, null, null);
        }

        /** The env's action bounds, and its sizes to check the actor against. */
        public static Options forEnv(EnvSpec env) {
            return new Options(env.actionSpace().low(), env.actionSpace().high(), null, env);
        }

        public Options withActionBounds(double[] low, double[] high) {
            return new Options(low, high, normalization, env);
        }

        /** Observation statistics from {@code file} (pickle or JSON); {@code null} to look for them. */
        public Options withNormalization(Path file) {
            return new Options(actionLow, actionHigh, file, env);
        }
    }

    /** The formats, in the order they are asked; SB3 before state dict (an SB3 zip holds a state dict). */
    static final List<ActorReader> READERS = List.of(new Sb3Zip(), new TorchScriptFormat(), new StateDictFormat(),
            new SafetensorsFormat());

    private ActorLoader() {
    }

    /** Loads the actor in {@code file}; see the class comment for formats and conventions. */
    public static Actor load(Path file, Options opts) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(opts, "opts");
        return assemble(file, read(file), opts);
    }

    /** The format of {@code file}, told from its bytes ({@code sb3-zip}, {@code torch-state-dict}, ...). */
    public static String detectFormat(Path file) {
        return reader(probe(file)).format();
    }

    /**
     * What {@code file} holds and whether it can be converted, for a user to check before a long
     * run ({@code spikerl inspect}). An unreadable file or unknown layout throws, as {@link #load}
     * does; an actor that is read but refused (activation, bounds, statistics) is described with
     * the reason.
     *
     * @param normalization observation statistics to use, or {@code null} to look for them
     */
    public static ActorInspection inspect(Path file, Path normalization) {
        Objects.requireNonNull(file, "file");
        ReadActor r = read(file);
        String sha = FileDigest.sha256(file);
        List<DenseLayer> layers = null;
        String problem = null;
        ObservationNorm norm = null;
        try {
            layers = DenseLayers.build(file.toString(), r.tensors(), r.layout().prefixes());
            norm = Normalization.resolve(file, r.norm(), normalization);
            checkNormSize(file, norm, layers.get(0).in());
            checkActivation(file, r);
        } catch (SpikerlException e) {
            problem = e.getMessage();
        }
        return new ActorInspection(file, sha, r.format(), r.layout().layout(), r.notes(), r.layout().ignored(),
                layers, r.activation().name(), r.activation().how(), r.layout().head().name().toLowerCase(),
                r.low(), r.high(), norm, problem);
    }

    /**
     * Observation statistics from {@code file} (VecNormalize pickle or JSON, told by content), with
     * their origin; {@code null} when the file says observations were not normalised.
     */
    public static ObservationNorm readNormalization(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SpikerlException(file + ": no such file (observation normalisation statistics)");
        }
        return Normalization.read(file, "given");
    }

    /** Probes the file and lets the first reader that accepts it read it. */
    static ReadActor read(Path file) {
        ActorReader.Probe p = probe(file);
        return reader(p).read(p);
    }

    private static Actor assemble(Path file, ReadActor r, Options opts) {
        String where = file.toString();
        checkActivation(file, r);
        List<DenseLayer> layers = DenseLayers.build(where, r.tensors(), r.layout().prefixes());
        int obs = layers.get(0).in();
        if (r.observationSize() > 0 && r.observationSize() != obs) {
            throw new SpikerlException(where + ": observation_space has " + r.observationSize()
                    + " entries but the actor's first layer takes " + obs);
        }
        if (opts.env() != null) {
            // Before the bounds: a wrong env shows as a size mismatch naming the env, not as bounds of the wrong size.
            EnvFit.checkSizes(where, obs, layers.get(layers.size() - 1).out(), opts.env());
        }
        ActionHead head = head(where, r.layout().head(), bounds(where, r.low(), r.high(), opts), layers);
        ObservationNorm norm = Normalization.resolve(file, r.norm(), opts.normalization());
        checkNormSize(file, norm, obs);
        String source = r.format() + " (" + r.layout().layout() + ") " + file.toAbsolutePath().normalize();
        if (norm != null && norm.origin() != null) {
            source += " + obs norm " + norm.origin().file();
        }
        return new Actor(layers, norm, head, source);
    }

    private static void checkActivation(Path file, ReadActor r) {
        ReadActor.Activation a = r.activation();
        if (!a.isRelu()) {
            throw new SpikerlException(file + ": the actor's hidden activation is " + a.name()
                    + (a.how().startsWith("the default") ? " (" + a.how() + ")" : "")
                    + "; spikerl converts ReLU actors only: train with policy_kwargs=dict(activation_fn=torch.nn.ReLU)");
        }
    }

    /** Statistics of the wrong size are the statistics file's fault: the message starts with it. */
    private static void checkNormSize(Path actorFile, ObservationNorm norm, int obs) {
        if (norm != null && norm.size() != obs) {
            String where = norm.origin() != null ? norm.origin().file() : actorFile.toString();
            throw new SpikerlException(where + ": observation normalisation has " + norm.size()
                    + " entries but the actor " + actorFile + " takes " + obs + " observations; expected statistics"
                    + " for " + obs);
        }
    }

    private static ActorReader.Probe probe(Path file) {
        if (!Files.exists(file)) {
            throw new SpikerlException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new SpikerlException(file + ": not a regular file; expected an actor file");
        }
        byte[] head = new byte[16];
        int n;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new SpikerlException(file + ": cannot read (" + ZipArchive.oneLine(e.getMessage()) + ")", e);
        }
        if (size == 0) {
            throw new SpikerlException(file + ": empty file; expected an actor file");
        }
        head = Arrays.copyOf(head, n);
        boolean zip = n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)
                && (head[3] == 4 || head[3] == 6);
        return new ActorReader.Probe(file, head, size, zip ? ZipArchive.open(file) : null);
    }

    private static ActorReader reader(ActorReader.Probe p) {
        for (ActorReader r : READERS) {
            if (r.accepts(p)) {
                return r;
            }
        }
        Path file = p.file();
        if (p.zip() != null) {
            throw new SpikerlException(file + ": zip archive is neither a torch.save file, a TorchScript module nor a"
                    + " Stable-Baselines3 model (entries: " + abbreviate(p.zip().names()) + ")");
        }
        if (VecNormalizePickle.looksLike(p.head())) {
            throw new SpikerlException(file + ": a bare pickle, not an actor (legacy torch.save before PyTorch 1.6?"
                    + " re-save it with a current torch.save, which writes a zip archive; observation statistics such as"
                    + " vecnormalize.pkl go to --normalization)");
        }
        throw new SpikerlException(file + ": not an actor file; expected a PyTorch zip (torch.save or TorchScript),"
                + " a Stable-Baselines3 zip or a safetensors file, but it starts with bytes " + hex(p.head()));
    }

    /** Bounds from the file when stored, else from the options; both present must agree. */
    private static double[][] bounds(String where, double[] storedLow, double[] storedHigh, Options opts) {
        if (storedLow == null) {
            if (opts.actionLow() == null) {
                throw new SpikerlException(where + ": this format does not store the action bounds; give the env's"
                        + " (ActorLoader.Options.forEnv or withActionBounds)");
            }
            return new double[][] {opts.actionLow(), opts.actionHigh()};
        }
        if (opts.actionLow() != null && !(EnvFit.sameBounds(storedLow, opts.actionLow()) && EnvFit.sameBounds(storedHigh, opts.actionHigh()))) {
            throw new SpikerlException(where + ": the actor was saved with action bounds low " + Arrays.toString(storedLow)
                    + " high " + Arrays.toString(storedHigh) + " but the env has low " + Arrays.toString(opts.actionLow())
                    + " high " + Arrays.toString(opts.actionHigh()));
        }
        return new double[][] {storedLow, storedHigh};
    }

    private static ActionHead head(String where, ActorLayout.HeadType type, double[][] bounds, List<DenseLayer> layers) {
        double[] low = bounds[0];
        double[] high = bounds[1];
        int act = layers.get(layers.size() - 1).out();
        if (low.length != act || high.length != act) {
            throw new SpikerlException(where + ": action bounds have " + low.length + " entries but the actor outputs "
                    + act + " actions");
        }
        for (int i = 0; i < act; i++) {
            if (Double.isNaN(low[i]) || Double.isNaN(high[i]) || low[i] > high[i]) {
                throw new SpikerlException(where + ": action bound " + i + " is [" + low[i] + ", " + high[i]
                        + "]; expected low <= high");
            }
            if (type == ActorLayout.HeadType.TANH && !(Double.isFinite(low[i]) && Double.isFinite(high[i]))) {
                throw new SpikerlException(where + ": a tanh head needs finite action bounds, got [" + low[i] + ", "
                        + high[i] + "] for action " + i);
            }
        }
        return type == ActorLayout.HeadType.TANH ? ActionHead.Tanh.fromBounds(low, high)
                : new ActionHead.Clip(low.clone(), high.clone());
    }

    /** File name without its last extension: {@code ppo.zip} -> {@code ppo}. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 12 ? names.toString()
                : names.subList(0, 12) + " and " + (names.size() - 12) + " more";
    }
}
