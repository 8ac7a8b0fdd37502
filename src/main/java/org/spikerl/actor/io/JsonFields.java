package org.spikerl.actor.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.spikerl.SpikerlException;
import org.spikerl.actor.ObservationNorm;

/** Field access for the JSON files the loader reads, with one-line errors naming file and field. */
final class JsonFields {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFields() {
    }

    static JsonNode read(Path file) {
        try {
            JsonNode n = MAPPER.readTree(Files.readAllBytes(file));
            if (n == null || !n.isObject()) {
                throw new SpikerlException(file + ": expected a JSON object");
            }
            return n;
        } catch (NoSuchFileException e) {
            throw new SpikerlException(file + ": no such file");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SpikerlException(file + ": not valid JSON (" + ZipArchive.oneLine(e.getOriginalMessage()) + ")", e);
        } catch (IOException e) {
            throw new SpikerlException(file + ": cannot read (" + ZipArchive.oneLine(e.getMessage()) + ")", e);
        }
    }

    static JsonNode parse(String where, byte[] json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                throw new SpikerlException(where + ": expected a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new SpikerlException(where + ": not valid JSON (" + ZipArchive.oneLine(e.getMessage()) + ")", e);
        }
    }

    static double[] numbers(String where, JsonNode parent, String field) {
        JsonNode a = parent.get(field);
        if (a == null || !a.isArray() || a.isEmpty()) {
            throw new SpikerlException(where + ": field " + field + " must be a non-empty array of numbers");
        }
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new SpikerlException(where + ": field " + field + "[" + i + "] must be a number, got " + a.get(i));
            }
            r[i] = a.get(i).asDouble();
        }
        return r;
    }

    static double number(String where, JsonNode parent, String field, double dflt) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new SpikerlException(where + ": field " + field + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    static String text(String where, JsonNode parent, String field, String dflt) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw new SpikerlException(where + ": field " + field + " is missing");
            }
            return dflt;
        }
        if (!n.isTextual()) {
            throw new SpikerlException(where + ": field " + field + " must be a string, got " + n);
        }
        return n.asText();
    }

    /**
     * Observation statistics in the schema of {@code envs/export_vecnormalize.py}:
     * {@code obs_mean}, {@code obs_var} (arrays), {@code epsilon} (default 1e-8), {@code clip_obs}
     * (default 10), {@code norm_obs} (default true; false gives {@code null}, the identity).
     */
    static ObservationNorm observationNorm(String where, JsonNode n) {
        JsonNode on = n.get("norm_obs");
        if (on != null && !on.isNull() && !on.isBoolean()) {
            throw new SpikerlException(where + ": field norm_obs must be true or false, got " + on);
        }
        if (on != null && on.isBoolean() && !on.asBoolean()) {
            return null;
        }
        double[] mean = numbers(where, n, "obs_mean");
        double[] var = numbers(where, n, "obs_var");
        double eps = number(where, n, "epsilon", ObservationNorm.DEFAULT_EPS);
        double clip = number(where, n, "clip_obs", ObservationNorm.DEFAULT_CLIP);
        if (mean.length != var.length) {
            throw new SpikerlException(where + ": obs_mean has " + mean.length + " entries but obs_var has " + var.length);
        }
        for (int i = 0; i < mean.length; i++) {
            if (!Double.isFinite(mean[i]) || !Double.isFinite(var[i]) || var[i] < 0) {
                throw new SpikerlException(where + ": obs_mean[" + i + "] and obs_var[" + i
                        + "] must be finite with obs_var >= 0, got " + mean[i] + ", " + var[i]);
            }
        }
        if (!(eps > 0) || !(clip > 0) || Double.isInfinite(eps)) {
            throw new SpikerlException(where + ": epsilon and clip_obs must be > 0, got " + eps + ", " + clip);
        }
        return new ObservationNorm(mean, var, eps, clip);
    }
}
