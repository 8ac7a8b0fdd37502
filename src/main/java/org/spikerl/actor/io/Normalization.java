package org.spikerl.actor.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spikerl.SpikerlException;
import org.spikerl.actor.ObservationNorm;

/**
 * Finds and reads an actor's observation statistics. In order:
 * <ol>
 * <li>the file the user names ({@code --normalization FILE}): a VecNormalize pickle or a JSON file
 *     in the schema of {@code envs/export_vecnormalize.py}, told apart by content;</li>
 * <li>the RL Zoo's layout as downloaded: for {@code DIR/ENV.zip}, {@code DIR/ENV/vecnormalize.pkl}
 *     (the zoo's {@code enjoy.py} applies it whenever it is there);</li>
 * <li>{@code <stem>.vecnormalize.json} next to the actor (written by
 *     {@code envs/export_vecnormalize.py}).</li>
 * </ol>
 * Two of the last two at once is refused, as is statistics in both a safetensors sidecar and a
 * file. When the zoo's {@code DIR/ENV/config.yml} says {@code normalize: true} (or gives
 * normalisation options) and none of these is found, the actor is refused: it was trained on
 * normalised observations and would run silently wrong without them.
 */
final class Normalization {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Normalization() {
    }

    /**
     * The statistics for the actor in {@code actorFile}, with their origin; {@code null} for none.
     *
     * @param inline statistics the actor's own file stores (a safetensors sidecar), or null
     * @param explicit the file the user named, or null
     */
    static ObservationNorm resolve(Path actorFile, ObservationNorm inline, Path explicit) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new SpikerlException(explicit + ": no such file (observation normalisation statistics)");
            }
            if (inline != null) {
                throw new SpikerlException(actorFile + ": two observation normalisations, one in the actor's sidecar and "
                        + explicit + "; keep one");
            }
            return read(explicit, "--normalization");
        }
        Path zooDir = zooFolder(actorFile);
        Path pkl = zooDir.resolve("vecnormalize.pkl");
        Path json = actorFile.resolveSibling(ActorLoader.stem(actorFile) + ".vecnormalize.json");
        boolean hasPkl = Files.isRegularFile(pkl);
        boolean hasJson = Files.isRegularFile(json);
        if (hasPkl && hasJson) {
            throw new SpikerlException(actorFile + ": two observation normalisations beside it, " + pkl + " and " + json
                    + "; keep one or name one with --normalization");
        }
        Path found = hasPkl ? pkl : hasJson ? json : null;
        if (found != null && inline != null) {
            throw new SpikerlException(actorFile + ": two observation normalisations, one in the actor's sidecar and "
                    + found + "; keep one");
        }
        if (found != null) {
            return read(found, hasPkl ? "beside the zip (RL Zoo layout)" : "next to the actor");
        }
        if (inline != null) {
            return inline;
        }
        Path config = zooDir.resolve("config.yml");
        if (Files.isRegularFile(config) && zooNormalizes(config)) {
            throw new SpikerlException(actorFile + ": " + config + " says the actor was trained with normalize: true but"
                    + " its observation statistics are missing; expected " + pkl
                    + " (or give them with --normalization FILE)");
        }
        return null;
    }

    /** {@code DIR/ENV} for {@code DIR/ENV.zip}: where the RL Zoo keeps config.yml and vecnormalize.pkl. */
    static Path zooFolder(Path actorFile) {
        return actorFile.resolveSibling(ActorLoader.stem(actorFile));
    }

    /** Reads statistics from a pickle or JSON file, told by content; {@code null} when they say norm_obs false. */
    static ObservationNorm read(Path file, String how) {
        byte[] bytes = readBounded(file);
        ObservationNorm norm;
        String kind;
        if (VecNormalizePickle.looksLike(bytes)) {
            kind = "vecnormalize-pickle";
            norm = VecNormalizePickle.read(file.toString(), bytes);
        } else if (startsLikeJson(bytes)) {
            kind = "json";
            norm = JsonFields.observationNorm(file.toString(), JsonFields.parse(file.toString(), bytes));
        } else {
            throw new SpikerlException(file + ": neither a VecNormalize pickle nor a JSON file of observation statistics"
                    + " (obs_mean, obs_var, epsilon, clip_obs)");
        }
        return norm == null ? null : norm.withOrigin(origin(kind, file, how));
    }

    static ObservationNorm.Origin origin(String kind, Path file, String how) {
        return new ObservationNorm.Origin(kind, file.toAbsolutePath().normalize().toString(), FileDigest.sha256(file), how);
    }

    /** Whether the zoo's config.yml asks for VecNormalize on observations. */
    static boolean zooNormalizes(Path config) {
        JsonNode root;
        try {
            root = YAML.readTree(config.toFile());
        } catch (IOException e) {
            throw new SpikerlException(config + ": not readable as YAML (" + ZipArchive.oneLine(e.getMessage())
                    + "); expected the RL Zoo's config.yml", e);
        }
        // The zoo writes an OrderedDict (!!python/object/apply), read here as [[[key, value], ...]];
        // a plain mapping is accepted too.
        JsonNode pairs = root;
        while (pairs != null && pairs.isArray() && pairs.size() == 1 && pairs.get(0).isArray()
                && pairs.get(0).size() > 0 && pairs.get(0).get(0).isArray()) {
            pairs = pairs.get(0);
        }
        JsonNode normalize = null;
        if (pairs != null && pairs.isArray()) {
            for (JsonNode pair : pairs) {
                if (pair.isArray() && pair.size() == 2 && "normalize".equals(pair.get(0).asText())) {
                    normalize = pair.get(1);
                }
            }
        } else if (pairs != null && pairs.isObject()) {
            normalize = pairs.get("normalize");
        }
        if (normalize == null || normalize.isNull()) {
            return false;
        }
        if (normalize.isBoolean()) {
            return normalize.asBoolean();
        }
        // A string of VecNormalize options, e.g. "{'norm_obs': True, 'norm_reward': False}".
        String s = normalize.asText().replace(" ", "");
        return !s.equalsIgnoreCase("false") && !s.contains("'norm_obs':False") && !s.contains("norm_obs=False");
    }

    private static boolean startsLikeJson(byte[] b) {
        for (byte c : b) {
            if (c == '{') {
                return true;
            }
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return false;
    }

    private static byte[] readBounded(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) VecNormalizePickle.MAX_BYTES + 1);
            if (b.length > VecNormalizePickle.MAX_BYTES) {
                throw new SpikerlException(file + ": larger than " + (VecNormalizePickle.MAX_BYTES >> 20)
                        + " MB; expected a file of observation statistics");
            }
            if (b.length == 0) {
                throw new SpikerlException(file + ": empty file; expected a VecNormalize pickle or JSON statistics");
            }
            return b;
        } catch (IOException e) {
            throw new SpikerlException(file + ": cannot read (" + ZipArchive.oneLine(e.getMessage()) + ")", e);
        }
    }
}
