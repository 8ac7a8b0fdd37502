/**
 * The {@code spikerl} command line (picocli): {@link org.spikerl.cli.Main} and its commands. A
 * command parses options into the configuration types of {@code org.spikerl.run} and calls the
 * job; errors a user can fix print as one line on stderr with exit status 2.
 */
package org.spikerl.cli;
