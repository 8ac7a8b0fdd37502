package org.spikerl.embed;

import java.nio.file.Path;

/**
 * Child-JVM program of {@link CoreOnlyClasspathTest}: reports which optional libraries are
 * visible, then loads a controller file and prints its actions for the observations given, one
 * control step per line, values in {@link Double#toString} form so the parent can compare exactly.
 * Uses the embeddable API and the JDK only.
 *
 * <p>Arguments: {@code FILE OBS...}, each {@code OBS} a comma-separated observation.
 */
public final class CoreOnlyMain {
    private CoreOnlyMain() {
    }

    public static void main(String[] args) {
        for (String name : new String[] {"py4j.GatewayServer", "ai.djl.Model", "picocli.CommandLine",
                "net.razorvine.pickle.Unpickler", "org.junit.jupiter.api.Test"}) {
            System.out.println(name + " " + (visible(name) ? "visible" : "absent"));
        }
        SpikingPolicy policy = SpikingPolicy.load(Path.of(args[0]));
        double[] obs = new double[policy.observationSize()];
        double[] action = new double[policy.actionSize()];
        policy.reset();
        for (int k = 1; k < args.length; k++) {
            String[] parts = args[k].split(",");
            for (int i = 0; i < obs.length; i++) {
                obs[i] = Double.parseDouble(parts[i]);
            }
            policy.act(obs, action);
            StringBuilder line = new StringBuilder("action");
            for (double a : action) {
                line.append(' ').append(a);
            }
            System.out.println(line);
        }
        System.out.println("sops " + policy.counts().sops());
    }

    private static boolean visible(String className) {
        try {
            Class.forName(className, false, CoreOnlyMain.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
