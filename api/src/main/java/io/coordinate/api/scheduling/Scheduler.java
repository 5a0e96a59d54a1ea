package io.coordinate.api.scheduling;

import io.coordinate.api.AttemptRequest;
import io.coordinate.api.WorkSpecMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides which work spec a request for work is served from (SPEC §3 steps 1–3) and how many units
 * it gets (step 4), honouring each spec's rate limit (a spec without a whole token is no candidate). Pure: the state comes in as {@link Candidate}s with exact counts and randomness
 * from the caller, so a seeded generator makes it deterministic.
 *
 * <p>Among the specs that can do work, only those of the highest priority compete. Each gets the
 * score {@code weight × (total pending + 1) − total weight × own pending}, the number of extra pending
 * units it "wants" so that pending counts approach the ratio of the weights (scaled by the total
 * weight to stay in integers); a spec is drawn with probability proportional to its positive score.
 */
public final class Scheduler {
  private Scheduler() {}

  /**
   * A work spec as the scheduler sees it.
   *
   * @param name the spec's name
   * @param meta its meta, with counts
   * @param allowance how many units its rate limit lets go now (the whole tokens of its bucket,
   *     see {@link TokenBucket#allowance}); {@link Integer#MAX_VALUE} when it has no limit. A spec
   *     with none left is not a candidate.
   */
  public record Candidate(String name, WorkSpecMeta meta, int allowance) {
    /** A spec without a rate limit. */
    public Candidate(String name, WorkSpecMeta meta) {
      this(name, meta, Integer.MAX_VALUE);
    }
  }

  /**
   * Chooses the work spec to serve {@code request} from, or empty when none can do work.
   *
   * @param specs every work spec of the namespace, with counts
   * @param request restricts the candidates by name and runtime
   * @param now the current time, for continuous specs
   * @param random the source of the weighted draw
   */
  public static Optional<String> choose(
      Collection<Candidate> specs, AttemptRequest request, Instant now, RandomGenerator random) {
    List<Candidate> best = new ArrayList<>();
    int bestPriority = Integer.MIN_VALUE;
    for (Candidate c : specs) {
      if (!request.workSpecs().isEmpty() && !request.workSpecs().contains(c.name())) {
        continue;
      }
      if (!request.runtimes().isEmpty() && !request.runtimes().contains(c.meta().runtime())) {
        continue;
      }
      if (c.allowance() < 1 || !c.meta().canDoWork(now)) {
        continue;
      }
      int p = c.meta().priority();
      if (best.isEmpty() || p > bestPriority) {
        best.clear();
        bestPriority = p;
      } else if (p < bestPriority) {
        continue;
      }
      best.add(c);
    }
    if (best.isEmpty()) {
      return Optional.empty();
    }
    if (best.size() == 1) {
      return Optional.of(best.get(0).name());
    }
    // A stable order makes a seeded draw reproducible whatever order the caller's map had.
    best.sort(Comparator.comparing(Candidate::name));
    long totalWeight = 0;
    long totalPending = 0;
    for (Candidate c : best) {
      totalWeight += c.meta().weight();
      totalPending += c.meta().pendingCount();
    }
    long[] scores = new long[best.size()];
    long totalScore = 0;
    for (int i = 0; i < best.size(); i++) {
      WorkSpecMeta m = best.get(i).meta();
      long score = m.weight() * (totalPending + 1) - totalWeight * m.pendingCount();
      if (score > 0) {
        scores[i] = score;
        totalScore += score;
      }
    }
    // The scores sum to the total weight (> 0), so at least one is positive.
    long draw = random.nextLong(totalScore);
    for (int i = 0; i < scores.length; i++) {
      if (draw < scores[i]) {
        return Optional.of(best.get(i).name());
      }
      draw -= scores[i];
    }
    throw new AssertionError("weighted draw fell outside the scores");
  }

  /**
   * How many units a request may take from the chosen spec: the requested number, capped by
   * max_getwork and by the room max_running leaves (never below 0).
   *
   * @param meta the chosen spec's meta, with counts
   */
  public static int batchSize(AttemptRequest request, WorkSpecMeta meta) {
    long n = request.numberOfWorkUnits();
    if (meta.maxAttemptsReturned() > 0) {
      n = Math.min(n, meta.maxAttemptsReturned());
    }
    if (meta.maxRunning() > 0) {
      n = Math.min(n, meta.maxRunning() - meta.pendingCount());
    }
    return (int) Math.max(0, n);
  }

  /**
   * {@link #batchSize(AttemptRequest, WorkSpecMeta)}, further capped by the units the spec's rate
   * limit lets go now.
   *
   * @param allowance see {@link Candidate#allowance}
   */
  public static int batchSize(AttemptRequest request, WorkSpecMeta meta, int allowance) {
    return Math.min(batchSize(request, meta), Math.max(0, allowance));
  }

  /**
   * The key of a continuous unit created at {@code now}: Unix seconds with milliseconds (truncated),
   * as in {@code 1433866830.291}, always in ASCII digits.
   */
  public static String continuousUnitName(Instant now) {
    // Locale.ROOT: the default locale may use other digits (Arabic, Thai), and keys must not vary.
    return String.format(Locale.ROOT, "%d.%03d", now.getEpochSecond(), now.getNano() / 1_000_000);
  }
}
