package org.spikerl.run;

import java.nio.file.Path;
import java.util.Map;
import org.spikerl.actor.Actor;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.EnvSpec;
import org.spikerl.env.VectorEnv;

/**
 * The start-up every job shares: start an environment backend, open a vector env of the task,
 * load the actor for it and check that it fits. {@link #close()} closes the env and the backend
 * (and so ends every Python process the backend started), also when start-up fails part-way.
 */
public final class EnvSession implements AutoCloseable {
    private final EnvBackend backend;
    private final VectorEnv env;
    private Map<String, String> versions;
    private Actor actor;

    private EnvSession(EnvBackend backend, VectorEnv env) {
        this.backend = backend;
        this.env = env;
    }

    /** Starts a backend from {@code backends} and opens {@code slots} copies of {@code envId} in it. */
    public static EnvSession open(EnvBackend.Factory backends, String envId, int slots) {
        EnvBackend backend = backends.start();
        try {
            return new EnvSession(backend, backend.open(EnvIds.versioned(envId, backend), slots));
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * As {@link #open(EnvBackend.Factory, String, int)}, then loads {@code policy} for the env and
     * checks it fits ({@link #actor()}).
     */
    public static EnvSession open(EnvBackend.Factory backends, String envId, int slots, Path policy) {
        return open(backends, envId, slots, policy, null);
    }

    /** As {@link #open(EnvBackend.Factory, String, int, Path)}, with the actor's statistics from {@code normalization} (or null). */
    public static EnvSession open(EnvBackend.Factory backends, String envId, int slots, Path policy,
                                  Path normalization) {
        EnvSession session = open(backends, envId, slots);
        try {
            session.actor = session.loadActor(policy, normalization);
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The actor given to {@link #open(EnvBackend.Factory, String, int, Path)}. */
    public Actor actor() {
        if (actor == null) {
            throw new IllegalStateException("this session was opened without an actor");
        }
        return actor;
    }

    /** Reads an actor file for this env's spaces ({@link ActorLoader.Options#forEnv}) and checks it fits. */
    public Actor loadActor(Path policy) {
        return loadActor(policy, null);
    }

    /**
     * As {@link #loadActor(Path)}, with observation statistics from {@code normalization} (a
     * VecNormalize pickle or a JSON file; {@code null}: what the actor file or its layout carries).
     */
    public Actor loadActor(Path policy, Path normalization) {
        Actor actor = ActorLoader.load(policy,
                ActorLoader.Options.forEnv(env.spec()).withNormalization(normalization));
        actor.checkFits(env.spec());
        return actor;
    }

    public EnvBackend backend() {
        return backend;
    }

    public VectorEnv env() {
        return env;
    }

    public EnvSpec spec() {
        return env.spec();
    }

    /** The backend's versions (asked once), for provenance. */
    public Map<String, String> versions() {
        if (versions == null) {
            versions = backend.versions();
        }
        return versions;
    }

    @Override
    public void close() {
        try {
            env.close();
        } finally {
            backend.close();
        }
    }
}
