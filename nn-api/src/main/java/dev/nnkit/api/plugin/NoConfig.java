package dev.nnkit.api.plugin;

/** The config of a plugin that has no settings ({@code sigmoid}, {@code mse}). */
public record NoConfig() {
    /** The only value anyone needs. */
    public static final NoConfig INSTANCE = new NoConfig();
}
