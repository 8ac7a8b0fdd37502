package org.spikerl.results;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.spikerl.actor.io.FileDigest;

/**
 * Where a result came from: configuration, seeds, actor SHA-256, git commit, and the Java,
 * Python, Gymnasium and MuJoCo versions. Written next to every result as {@code provenance.json}.
 */
public final class Provenance {
    private Provenance() {
    }

    /**
     * @param command the command line as the user gave it
     * @param config the run's resolved configuration
     * @param actorFile the actor file (hashed)
     * @param pythonVersions versions reported by the bridge (python, gymnasium, mujoco, ...)
     * @param home the project folder (for the git commit)
     */
    public static Map<String, Object> of(List<String> command, Map<String, Object> config, Path actorFile,
                                         Map<String, String> pythonVersions, Path home) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("created", Instant.now().toString());
        p.put("command", command);
        p.put("config", config);
        p.put("policy_file", actorFile.toAbsolutePath().normalize().toString());
        p.put("policy_sha256", FileDigest.sha256(actorFile));
        p.put("git_commit", git(home, "rev-parse", "HEAD"));
        String dirty = git(home, "status", "--porcelain", "--untracked-files=no");
        p.put("git_dirty", dirty == null ? null : !dirty.isEmpty());
        p.put("spikerl_version", versionOfSpikerl());
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("java", System.getProperty("java.version"));
        versions.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        versions.putAll(pythonVersions);
        p.put("versions", versions);
        p.put("cpus", Runtime.getRuntime().availableProcessors());
        return p;
    }

    /**
     * Like {@link #of(List, Map, Path, Map, Path)}, adding where the actor's observation statistics
     * came from: {@code "normalization": {"kind", "file", "sha256", "found"}}, or {@code null} when
     * the actor normalises nothing or carries statistics of no file of their own.
     */
    public static Map<String, Object> of(List<String> command, Map<String, Object> config, Path actorFile,
                                         org.spikerl.actor.Actor actor, Map<String, String> pythonVersions, Path home) {
        Map<String, Object> p = of(command, config, actorFile, pythonVersions, home);
        org.spikerl.actor.ObservationNorm.Origin o = actor.norm() == null ? null : actor.norm().origin();
        Map<String, Object> n = null;
        if (o != null) {
            n = new LinkedHashMap<>();
            n.put("kind", o.kind());
            n.put("file", o.file());
            n.put("sha256", o.sha256());
            n.put("found", o.how());
        } else if (actor.norm() != null) {
            n = Map.of("kind", "carried by the actor file");
        }
        p.put("normalization", n);
        return p;
    }

    /**
     * The version and source of this build for {@code spikerl -V}: the jar's version ("dev" outside
     * a jar) and the git commit of the checkout in {@code home}, marked when it has uncommitted
     * changes; without git or a repository, the version alone.
     */
    public static String describeBuild(Path home) {
        String commit = git(home, "rev-parse", "HEAD");
        if (commit == null) {
            return versionOfSpikerl();
        }
        String dirty = git(home, "status", "--porcelain", "--untracked-files=no");
        return versionOfSpikerl() + " (git " + commit + (dirty != null && !dirty.isEmpty() ? ", uncommitted changes" : "")
                + ")";
    }

    private static String versionOfSpikerl() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    /** Output of a git command in {@code home}, or null when git or the repository is missing. */
    static String git(Path home, String... args) {
        try {
            String[] cmd = new String[args.length + 3];
            cmd[0] = "git";
            cmd[1] = "-C";
            cmd[2] = home.toString();
            System.arraycopy(args, 0, cmd, 3, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
