package org.spikerl.actor.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.spikerl.SpikerlException;
import org.spikerl.actor.ActionHead;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.ObservationNorm;
import org.spikerl.env.EnvSpec;

/**
 * Loads a pretrained actor into {@link Actor}, whatever format it was saved in. The format is
 * told by content, never by file name:
 * <ul>
 * <li>{@link ActorFormat#SB3_ZIP Stable-Baselines3 zip} (TD3, DDPG, SAC, PPO/A2C): a zip with
 *     {@code data} and {@code policy.pth}. The actor is found by key layout (see
 *     {@link LayerLayout}); the action bounds come from {@code data}. The hidden activation is
 *     read from {@code policy_kwargs.activation_fn}, and when absent is the algorithm's default:
 *     ReLU for TD3/DDPG/SAC, Tanh for PPO/A2C. Only ReLU actors are accepted (the conversion to
 *     spiking neurons needs ReLU); train PPO with
 *     {@code policy_kwargs=dict(activation_fn=torch.nn.ReLU)}. gSDE policies are refused.</li>
 * <li>{@link ActorFormat#TORCHSCRIPT TorchScript} ({@code torch.jit.save} of a module that is
 *     not frozen): parameters are read by name through DJL's PyTorch engine
 *     ({@code org.spikerl.actor.io.djl}, loaded only for this format), then laid out as a state
 *     dict. The module must compute the MLP up to the last Linear layer; the head is added here.</li>
 * <li>{@link ActorFormat#TORCH_STATE_DICT torch.save state dict} (zip archive of PyTorch 1.6+),
 *     read without Python or libtorch ({@link TorchPickle}). Any device (e.g. {@code cuda:0}).</li>
 * <li>{@link ActorFormat#SAFETENSORS safetensors} with a {@code <stem>.actor.json} sidecar
 *     ({@link ActorSidecar} gives the schema: layer names, head type and bounds, optional
 *     observation normalisation).</li>
 * </ul>
 *
 * <p><b>Head.</b> SAC, TD3, DDPG and the generic layouts get {@code tanh(y) * scale + bias} with
 * {@code scale = (high - low) / 2}, {@code bias = (high + low) / 2} (SPEC section 2); with
 * symmetric bounds this is TD3's {@code max_action * tanh(y)} with {@code max_action = high}.
 * PPO gets {@code clip(y, low, high)}. Bounds stored in the file (SB3 {@code data}, the
 * safetensors sidecar) are used; state dicts and TorchScript do not store them, so the env's
 * bounds must be given in {@link Options}. When both are present they must agree.
 *
 * <p><b>Observation normalisation.</b> SB3's {@code VecNormalize} statistics are not in the model
 * zip. They travel as a JSON sidecar written by {@code envs/export_vecnormalize.py} from
 * {@code vec_normalize.pkl}: {@code {"obs_mean": [...], "obs_var": [...], "epsilon": 1e-8,
 * "clip_obs": 10.0, "norm_obs": true}}. It is taken from {@link Options#normSidecar()} when set,
 * otherwise from {@code <stem>.vecnormalize.json} next to the actor file when that exists
 * ({@code ppo.zip} -> {@code ppo.vecnormalize.json}); any format accepts it. The runtime then
 * computes {@code clip((o - mean) / sqrt(var + eps), -clip_obs, clip_obs)}.
 *
 * <p><b>Errors</b> are one-line {@link SpikerlException}s that start with the file: missing or
 * unreadable file, unrecognised content, truncated zip, unknown layout (listing the tensors found
 * and the layouts supported), shapes that do not chain, non-finite weights (naming the tensor),
 * refused activations, missing or inconsistent bounds.
 */
public final class ActorLoader {

    /**
     * What the file may not say by itself.
     *
     * @param actionLow env action lower bounds, or {@code null}
     * @param actionHigh env action upper bounds, or {@code null} (both or neither)
     * @param normSidecar observation normalisation JSON, or {@code null} to look for
     *        {@code <stem>.vecnormalize.json} next to the actor
     * @param env the environment the actor is for, or {@code null}; when set, an actor whose
     *        input or output size differs from the env's is refused with a message naming both
     */
    public record Options(double[] actionLow, double[] actionHigh, Path normSidecar, EnvSpec env) {
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

        /** No bounds, normalisation sidecar looked up next to the actor. */
        public static Options defaults() {
            return new Options(null, null, null, null);
        }

        /** The env's action bounds, and its sizes to check the actor against. */
        public static Options forEnv(EnvSpec env) {
            return new Options(env.actionSpace().low(), env.actionSpace().high(), null, env);
        }

        public Options withActionBounds(double[] low, double[] high) {
            return new Options(low, high, normSidecar, env);
        }

        public Options withNormSidecar(Path sidecar) {
            return new Options(actionLow, actionHigh, sidecar, env);
        }
    }

    private static final String DJL_READER = "org.spikerl.actor.io.djl.TorchScriptReader";
    /** Bounds from the file and from the env agree when within this (float32 storage of SB3 spaces). */
    private static final double BOUNDS_TOLERANCE = 1e-6;

    private ActorLoader() {
    }

    /** Loads the actor in {@code file}; see the class comment for formats and conventions. */
    public static Actor load(Path file, Options opts) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(opts, "opts");
        Sniffed sniffed = sniff(file);
        ActorFormat format = sniffed.format();
        String where = file.toString();
        return switch (format) {
            case SB3_ZIP -> fromSb3(file, sniffed.zip(), opts);
            case TORCH_STATE_DICT -> fromTensors(file, format, TorchPickle.readStateDict(sniffed.zip()), null, opts);
            case TORCHSCRIPT -> fromTensors(file, format, readTorchScript(file), null, opts);
            case SAFETENSORS -> {
                Path sidecar = ActorSidecar.pathFor(file);
                if (!Files.isRegularFile(sidecar)) {
                    throw new SpikerlException(where + ": a safetensors actor needs its sidecar " + sidecar
                            + " (layers, head; see ActorSidecar)");
                }
                byte[] bytes = readAll(file);
                yield fromTensors(file, format, Safetensors.read(where, bytes), ActorSidecar.read(sidecar), opts);
            }
        };
    }

    /** Tells the format of {@code file} from its bytes. */
    public static ActorFormat detectFormat(Path file) {
        return sniff(file).format();
    }

    /** The format, and the archive when the file is a zip (read once). */
    private record Sniffed(ActorFormat format, ZipArchive zip) {
    }

    private static Sniffed sniff(Path file) {
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
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5) && (head[3] == 4 || head[3] == 6)) {
            ZipArchive zip = ZipArchive.open(file);
            if (Sb3Zip.looksLike(zip)) {
                return new Sniffed(ActorFormat.SB3_ZIP, zip);
            }
            boolean torch = false;
            for (String name : zip.names()) {
                String[] parts = name.split("/");
                if (parts.length >= 2 && (parts[1].equals("constants.pkl") || parts[1].equals("code"))) {
                    return new Sniffed(ActorFormat.TORCHSCRIPT, null);
                }
                torch |= parts.length == 2 && parts[1].equals("data.pkl");
            }
            if (torch) {
                return new Sniffed(ActorFormat.TORCH_STATE_DICT, zip);
            }
            throw new SpikerlException(file + ": zip archive is neither a torch.save file, a TorchScript module nor a"
                    + " Stable-Baselines3 model (entries: " + abbreviate(zip.names()) + ")");
        }
        if (Safetensors.looksLike(head, size)) {
            return new Sniffed(ActorFormat.SAFETENSORS, null);
        }
        if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            throw new SpikerlException(file + ": a bare pickle (legacy torch.save before PyTorch 1.6?); re-save it"
                    + " with a current torch.save, which writes a zip archive");
        }
        throw new SpikerlException(file + ": not an actor file; expected a PyTorch zip (torch.save or TorchScript),"
                + " a Stable-Baselines3 zip or a safetensors file, but it starts with bytes " + hex(head));
    }

    private static Actor fromSb3(Path file, ZipArchive zip, Options opts) {
        String where = file.toString();
        Sb3Zip.Contents c = Sb3Zip.read(zip);
        LayerLayout.Detected layout = LayerLayout.detect(where, c.tensors());
        if (!layout.name().startsWith("sb3-")) {
            throw new SpikerlException(where + ": policy.pth has no Stable-Baselines3 actor; tensors found: "
                    + LayerLayout.listing(c.tensors()) + "; supported: " + LayerLayout.SUPPORTED);
        }
        for (String k : c.tensors().keySet()) {
            if (k.contains("features_extractor.")) {
                throw new SpikerlException(where + ": policy has a features extractor with parameters (" + k
                        + "); only MlpPolicy with the default FlattenExtractor is supported");
            }
        }
        if (c.useSde()) {
            throw new SpikerlException(where + ": policy uses gSDE (use_sde=True); train without it");
        }
        String activation = c.activation() != null ? c.activation() : layout.defaultActivation();
        if (!activation.equals("ReLU")) {
            throw new SpikerlException(where + ": the actor's hidden activation is " + activation
                    + (c.activation() == null ? " (the default of " + layout.name() + ")" : "")
                    + "; spikerl converts ReLU actors only: train with policy_kwargs=dict(activation_fn=torch.nn.ReLU)");
        }
        List<DenseLayer> layers = LayerLayout.build(where, c.tensors(), layout.prefixes());
        if (c.observationSize() > 0 && c.observationSize() != layers.get(0).in()) {
            throw new SpikerlException(where + ": observation_space has " + c.observationSize()
                    + " entries but the actor's first layer takes " + layers.get(0).in());
        }
        checkEnvSizes(where, layers, opts);
        double[][] bounds = bounds(where, c.low(), c.high(), opts);
        ActionHead head = head(where, layout.head(), bounds, layers);
        return assemble(file, ActorFormat.SB3_ZIP, layout.name(), layers, null, head, opts);
    }

    private static Actor fromTensors(Path file, ActorFormat format, Map<String, Tensor> tensors, ActorSidecar sidecar,
            Options opts) {
        String where = file.toString();
        List<String> prefixes;
        LayerLayout.HeadType headType;
        String layoutName;
        double[] low = null;
        double[] high = null;
        if (sidecar != null) {
            prefixes = sidecar.layers();
            headType = sidecar.head();
            layoutName = "sidecar";
            low = sidecar.low();
            high = sidecar.high();
        } else {
            LayerLayout.Detected layout = LayerLayout.detect(where, tensors);
            prefixes = layout.prefixes();
            headType = layout.head();
            layoutName = layout.name();
        }
        List<DenseLayer> layers = LayerLayout.build(where, tensors, prefixes);
        checkEnvSizes(where, layers, opts);
        ActionHead head = head(where, headType, bounds(where, low, high, opts), layers);
        return assemble(file, format, layoutName, layers, sidecar == null ? null : sidecar.norm(), head, opts);
    }

    private static Actor assemble(Path file, ActorFormat format, String layout, List<DenseLayer> layers,
            ObservationNorm inlineNorm, ActionHead head, Options opts) {
        String where = file.toString();
        int obs = layers.get(0).in();
        ObservationNorm norm = inlineNorm;
        Path normFile = opts.normSidecar();
        if (normFile != null && !Files.isRegularFile(normFile)) {
            throw new SpikerlException(normFile + ": no such file (observation normalisation sidecar)");
        }
        if (normFile == null) {
            Path found = file.resolveSibling(stem(file) + ".vecnormalize.json");
            normFile = Files.isRegularFile(found) ? found : null;
        }
        String source = format.id() + " (" + layout + ") " + file.toAbsolutePath().normalize();
        if (normFile != null) {
            if (inlineNorm != null) {
                throw new SpikerlException(where + ": two observation normalisations, one in the actor's sidecar and "
                        + normFile + "; keep one");
            }
            norm = JsonFields.observationNorm(normFile.toString(), JsonFields.read(normFile));
            source += " + obs norm " + normFile.toAbsolutePath().normalize();
        }
        if (norm != null && norm.size() != obs) {
            throw new SpikerlException(where + ": observation normalisation has " + norm.size()
                    + " entries but the actor takes " + obs + " observations");
        }
        return new Actor(layers, norm, head, source);
    }

    /** Before the bounds: a wrong env shows as a size mismatch naming the env, not as bounds of the wrong size. */
    private static void checkEnvSizes(String where, List<DenseLayer> layers, Options opts) {
        EnvSpec env = opts.env();
        if (env == null) {
            return;
        }
        int obs = layers.get(0).in();
        int act = layers.get(layers.size() - 1).out();
        int envObs = env.observationSpace().size();
        int envAct = env.actionSpace().size();
        if (obs != envObs || act != envAct) {
            throw new SpikerlException(where + ": the actor takes " + obs + " observations and outputs " + act
                    + " actions but " + env.id() + " gives " + envObs + " observations and takes " + envAct
                    + " actions; is it an actor for another environment?");
        }
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
        if (opts.actionLow() != null && !(close(storedLow, opts.actionLow()) && close(storedHigh, opts.actionHigh()))) {
            throw new SpikerlException(where + ": the actor was saved with action bounds low " + Arrays.toString(storedLow)
                    + " high " + Arrays.toString(storedHigh) + " but the env has low " + Arrays.toString(opts.actionLow())
                    + " high " + Arrays.toString(opts.actionHigh()));
        }
        return new double[][] {storedLow, storedHigh};
    }

    private static ActionHead head(String where, LayerLayout.HeadType type, double[][] bounds, List<DenseLayer> layers) {
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
            if (type == LayerLayout.HeadType.TANH && !(Double.isFinite(low[i]) && Double.isFinite(high[i]))) {
                throw new SpikerlException(where + ": a tanh head needs finite action bounds, got [" + low[i] + ", "
                        + high[i] + "] for action " + i);
            }
        }
        return type == LayerLayout.HeadType.TANH ? ActionHead.Tanh.fromBounds(low, high)
                : new ActionHead.Clip(low.clone(), high.clone());
    }

    private static Map<String, Tensor> readTorchScript(Path file) {
        ParameterReader reader;
        try {
            reader = (ParameterReader) Class.forName(DJL_READER).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new SpikerlException(file + ": reading TorchScript needs DJL's PyTorch engine on the class path ("
                    + e.getClass().getSimpleName() + ": " + ZipArchive.oneLine(e.getMessage()) + ")", e);
        }
        return reader.read(file);
    }

    private static boolean close(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i] && !(Math.abs(a[i] - b[i]) <= BOUNDS_TOLERANCE * Math.max(1, Math.abs(b[i])))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SpikerlException(file + ": cannot read (" + ZipArchive.oneLine(e.getMessage()) + ")", e);
        }
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
