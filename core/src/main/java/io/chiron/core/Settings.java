package io.chiron.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A registry of {@link Setting}s by key, in declaration order: the job's, the actuator's and the
 * policy's together are every key a user may set, the documentation table lists them, and a key
 * none of them knows is refused by name.
 */
public final class Settings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Setting<?>> byKey = new LinkedHashMap<>();

    private Settings() {}

    public static Settings of(Collection<? extends Setting<?>> settings) {
        Settings s = new Settings();
        for (Setting<?> setting : settings) {
            if (s.byKey.putIfAbsent(setting.key(), setting) != null) {
                throw new IllegalStateException("two settings share the key " + setting.key());
            }
        }
        return s;
    }

    /** These settings followed by {@code more}'s. */
    public Settings plus(Settings more) {
        List<Setting<?>> all = new ArrayList<>(byKey.values());
        all.addAll(more.all());
        return of(all);
    }

    public List<Setting<?>> all() {
        return List.copyOf(byKey.values());
    }

    public Optional<Setting<?>> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public boolean has(String key) {
        return byKey.containsKey(key);
    }

    /**
     * Refuses the first of {@code keys} that starts with {@code prefix} and is not registered: a
     * mistyped key would otherwise be ignored in silence.
     *
     * @throws IllegalArgumentException "unknown option KEY; see docs/configuration.md for the keys"
     */
    public void requireKnown(Collection<String> keys, String prefix) {
        for (String key : keys) {
            if (key.startsWith(prefix) && !has(key)) {
                throw new IllegalArgumentException(
                        "unknown option " + key + "; see docs/configuration.md for the keys");
            }
        }
    }
}
