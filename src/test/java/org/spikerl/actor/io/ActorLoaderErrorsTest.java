package org.spikerl.actor.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;

/** Each kind of bad input gives one line that names the file and says what was expected. */
class ActorLoaderErrorsTest {
    private static final ActorLoader.Options BOUNDS =
            ActorLoader.Options.defaults().withActionBounds(new double[] {-1, -0.5}, new double[] {1, 2});

    private static String failure(Path file, ActorLoader.Options opts, String... fragments) {
        SpikerlException e = assertThrows(SpikerlException.class, () -> ActorLoader.load(file, opts));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith(file.toString()), "names the file first: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        }
        return m;
    }

    @Test
    void missingFile(@TempDir Path tmp) {
        failure(tmp.resolve("nope.pt"), BOUNDS, "no such file");
    }

    @Test
    void randomBytes(@TempDir Path tmp) throws IOException {
        byte[] b = new byte[4096];
        new Random(7).nextBytes(b);
        Path f = tmp.resolve("random.pt");
        Files.write(f, b);
        failure(f, BOUNDS, "not an actor file", "starts with bytes " + String.format("%02x", b[0] & 0xff));
    }

    @Test
    void truncatedZip(@TempDir Path tmp) throws IOException {
        for (String name : new String[] {"statedict_crpi_style.pt", "sb3_td3.zip"}) {
            byte[] whole = Files.readAllBytes(Fixtures.fixture(name));
            Path f = tmp.resolve("cut-" + name);
            Files.write(f, Arrays.copyOf(whole, whole.length / 2));
            failure(f, BOUNDS, "truncated or corrupt zip archive");
        }
    }

    @Test
    void unknownLayoutListsTheKeysAndTheLayouts() {
        failure(Fixtures.fixture("statedict_unknown.pt"), BOUNDS, "unknown actor layout",
                "encoder.conv.weight [4, 1, 3, 3]", "encoder.conv.bias [4]", "decoder.weight [2, 16]",
                "supported: crpi-td3 (CRPI TD3/DDPG: l1, l2, l3", "cleanrl-td3 (CleanRL TD3/DDPG: fc1, fc2, fc_mu",
                "sequential (nn.Sequential of Linear and ReLU");
    }

    @Test
    void nanWeightNamesTheTensor() {
        failure(Fixtures.fixture("statedict_nan.pt"), BOUNDS, "tensor l2.weight holds NaN at [3][4]");
    }

    @Test
    void shapesThatDoNotChain() {
        failure(Fixtures.fixture("statedict_badchain.pt"), BOUNDS,
                "layers do not chain: l2.weight takes 7 inputs but l1.weight gives 8 outputs");
    }

    @Test
    void nonContiguousTensorIsRefused() {
        failure(Fixtures.fixture("statedict_noncontiguous.pt"), BOUNDS,
                "tensor l1.weight is not contiguous (shape [8, 5], strides [1, 8])");
    }

    @Test
    void tanhPpoIsRefusedWithTheFix() {
        failure(Fixtures.fixture("sb3_ppo_tanh.zip"), ActorLoader.Options.defaults(),
                "hidden activation is Tanh (the default of sb3-ppo)",
                "policy_kwargs=dict(activation_fn=torch.nn.ReLU)");
    }

    @Test
    void stateDictNeedsTheEnvBounds() {
        failure(Fixtures.fixture("statedict_crpi_style.pt"), ActorLoader.Options.defaults(),
                "does not store the action bounds");
    }

    @Test
    void actorForAnotherEnvNamesTheEnvAndBothSizes() {
        // The env's bounds have the env's size: without the size check first, this read as
        // "action bounds have 3 entries", naming neither the env nor the observations.
        var obs = new org.spikerl.env.BoxSpace(new double[7], new double[7], new int[] {7});
        var act = new org.spikerl.env.BoxSpace(new double[] {-1, -1, -1}, new double[] {1, 1, 1}, new int[] {3});
        var env = new org.spikerl.env.EnvSpec("Other-v1", obs, act, 1000);
        failure(Fixtures.fixture("statedict_crpi_style.pt"), ActorLoader.Options.forEnv(env),
                "the actor takes 5 observations and outputs 2 actions but Other-v1 gives 7 observations and takes 3"
                        + " actions; is it an actor for another environment?");
        failure(Fixtures.fixture("sb3_td3.zip"), ActorLoader.Options.forEnv(env), "but Other-v1 gives 7 observations");
    }

    @Test
    void boundsOfTheWrongSize() {
        failure(Fixtures.fixture("statedict_crpi_style.pt"), ActorLoader.Options.defaults()
                .withActionBounds(new double[] {-1, -1, -1}, new double[] {1, 1, 1}),
                "action bounds have 3 entries but the actor outputs 2 actions");
    }

    @Test
    void sb3BoundsDisagreeingWithTheEnv() {
        failure(Fixtures.fixture("sb3_td3.zip"), ActorLoader.Options.defaults()
                .withActionBounds(new double[] {-1, -1}, new double[] {1, 1}),
                "saved with action bounds low [-1.0, -0.5] high [1.0, 2.0] but the env has low [-1.0, -1.0]");
    }

    @Test
    void cleanRlBoundsDisagreeingWithTheEnv() {
        // The action_scale / action_bias buffers define the head; an env with other bounds is refused.
        failure(Fixtures.fixture("cleanrl_td3.cleanrl_model"), ActorLoader.Options.defaults()
                .withActionBounds(new double[] {-1, -1}, new double[] {1, 1}),
                "saved with action bounds low [-1.0, -0.5] high [1.0, 2.0] but the env has low [-1.0, -1.0]");
    }

    @Test
    void fcLayersWithoutStdHeadOrBuffersAreNoKnownLayout() {
        // fc1, fc2, fc_mu alone could be CRPI SAC without fc_std or CleanRL without its buffers: refused, not guessed.
        failure(Fixtures.fixture("statedict_fc_ambiguous.pt"), BOUNDS, "unknown actor layout",
                "fc1.weight [8, 5]", "fc_mu.weight [2, 8]",
                "crpi-sac (CRPI SAC: fc1, fc2, fc_mu, fc_std", "cleanrl-sac (CleanRL SAC: fc1, fc2, fc_mean, fc_logstd");
    }

    @Test
    void frozenTorchScriptIsRefused() {
        failure(Fixtures.fixture("torchscript_frozen.pt"), BOUNDS, "no parameters", "torch.jit.freeze");
    }

    @Test
    void safetensorsWithoutSidecar(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("lonely.safetensors");
        Files.copy(Fixtures.fixture("safetensors_actor.safetensors"), f);
        failure(f, BOUNDS, "needs its sidecar " + tmp.resolve("lonely.actor.json"));
    }

    @Test
    void normSidecarOfTheWrongSize(@TempDir Path tmp) throws IOException {
        Path norm = tmp.resolve("norm.json");
        Files.writeString(norm, "{\"obs_mean\": [0, 0, 0], \"obs_var\": [1, 1, 1], \"epsilon\": 1e-8, \"clip_obs\": 10}");
        normFailure(norm, "observation normalisation has 3 entries but the actor "
                + Fixtures.fixture("statedict_crpi_style.pt") + " takes 5 observations; expected statistics for 5");
    }

    /** Loads the CRPI-style fixture with {@code norm} as --normalization; the error must name {@code norm} first. */
    private static String normFailure(Path norm, String... fragments) {
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> ActorLoader.load(Fixtures.fixture("statedict_crpi_style.pt"), BOUNDS.withNormalization(norm)));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith(norm.toAbsolutePath().normalize().toString()) || m.startsWith(norm.toString()),
                "names the statistics file first: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        }
        return m;
    }

    @Test
    void truncatedPickle(@TempDir Path tmp) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.fixture("zoo/ppo/TinyBox-v0_1/TinyBox-v0/vecnormalize.pkl"));
        for (int cut : new int[] {whole.length / 2, whole.length - 1, 3}) {
            Path f = tmp.resolve("cut" + cut + ".pkl");
            Files.write(f, Arrays.copyOf(whole, cut));
            normFailure(f, "truncated or unreadable pickle", "expected a Stable-Baselines3 VecNormalize pickle");
        }
    }

    @Test
    void pickleOfTheWrongClass() {
        normFailure(Fixtures.fixture("vecnormalize_wrong_class.pkl"),
                "the pickle holds a stable_baselines3.common.running_mean_std.RunningMeanStd",
                "expected a Stable-Baselines3 VecNormalize pickle");
    }

    @Test
    void pickledStatisticsOfTheWrongLength() {
        normFailure(Fixtures.fixture("vecnormalize_length3.pkl"),
                "observation normalisation has 3 entries but the actor", "takes 5 observations; expected statistics for 5");
    }

    @Test
    void nanInThePickledStatistics() {
        normFailure(Fixtures.fixture("vecnormalize_nan.pkl"),
                "obs_rms.var[2] is NaN; expected finite statistics with var >= 0");
    }

    @Test
    void nanInJsonStatistics(@TempDir Path tmp) throws IOException {
        Path norm = tmp.resolve("norm.json");
        Files.writeString(norm, "{\"obs_mean\": [0, 0, NaN, 0, 0], \"obs_var\": [1, 1, 1, 1, 1]}");
        normFailure(norm, "not valid JSON");
    }

    @Test
    void statisticsFileOfNeitherKind(@TempDir Path tmp) throws IOException {
        Path norm = tmp.resolve("norm.txt");
        Files.writeString(norm, "mean 0 0 0 0 0");
        normFailure(norm, "neither a VecNormalize pickle nor a JSON file of observation statistics");
    }

    @Test
    void zooConfigWithoutItsStatisticsIsRefused() {
        Path zip = Fixtures.fixture("zoo/ppo/Lost-v0_1/Lost-v0.zip");
        failure(zip, ActorLoader.Options.defaults(), "config.yml says the actor was trained with normalize: true",
                "expected " + zip.resolveSibling("Lost-v0").resolve("vecnormalize.pkl"), "--normalization FILE");
    }

    @Test
    void pickleGivenAsTheActorPointsToNormalization() {
        failure(Fixtures.fixture("vecnormalize_nan.pkl"), BOUNDS, "a bare pickle, not an actor", "--normalization");
    }

    @Test
    void missingNormSidecar(@TempDir Path tmp) {
        Path norm = tmp.resolve("absent.vecnormalize.json");
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> ActorLoader.load(Fixtures.fixture("statedict_crpi_style.pt"), BOUNDS.withNormalization(norm)));
        assertTrue(e.getMessage().startsWith(norm + ": no such file"), e.getMessage());
    }

    @Test
    void zipOfSomethingElse(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("other.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            out.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.closeEntry();
        }
        failure(f, BOUNDS, "neither a torch.save file", "readme.txt");
    }

    @Test
    void truncatedPolicyInsideAnSb3Zip(@TempDir Path tmp) throws IOException {
        // The outer zip is sound; the policy.pth it holds is cut in half.
        Path f = tmp.resolve("cut-policy.zip");
        try (var in = new java.util.zip.ZipFile(Fixtures.fixture("sb3_td3.zip").toFile());
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            for (var e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(e.getName().equals("policy.pth") ? Arrays.copyOf(b, b.length / 2) : b);
                out.closeEntry();
            }
        }
        failure(f, ActorLoader.Options.defaults(), "(policy.pth): truncated or corrupt zip archive");
    }
}
