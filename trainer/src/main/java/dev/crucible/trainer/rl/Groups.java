package dev.crucible.trainer.rl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the scored samples of each task into advantages, honestly: a sample an infrastructure failure
 * kept from being scored is never given a reward. Its group is <em>renormalized</em>: the baseline and
 * scale come from the members that were scored, since an infrastructure failure says nothing about the
 * policy; with fewer than 2 scored members left the group is <em>masked</em> (no comparison is possible).
 * A group whose scored rewards are all equal gives every member advantage 0 and no gradient; it is
 * counted so a run can see how much of its batch taught nothing. Agent errors are scored samples like
 * any other.
 */
public final class Groups {
  private Groups() {}

  /**
   * One sample of a task.
   *
   * @param reward its total reward, or {@code null} when an infrastructure failure kept it from being scored
   */
  public record Member(String episodeId, Double reward) {
    public Member {
      Objects.requireNonNull(episodeId, "episodeId");
    }
  }

  /**
   * @param advantages the advantage of every scored member of a group that learns, by episode id
   * @param groups groups seen
   * @param renormalized groups that lost members to infrastructure failures and were renormalized
   * @param masked groups left with fewer than 2 scored members, which give nothing
   * @param unanimous groups whose scored members all had the same reward (advantage 0, no gradient)
   */
  public record Result(Map<String, Double> advantages, int groups, int renormalized, int masked, int unanimous) {
    /** Groups whose members carry a non-zero advantage. */
    public int learning() {
      return groups - masked - unanimous;
    }
  }

  /** Advantages of the members of {@code groups} (one list per task) under a group-baseline {@code algorithm}. */
  public static Result advantages(List<List<Member>> groups, Algorithm algorithm, boolean divideByStd) {
    Map<String, Double> advantages = new LinkedHashMap<>();
    int renormalized = 0;
    int masked = 0;
    int unanimous = 0;
    for (List<Member> group : groups) {
      List<Member> scored = new ArrayList<>();
      for (Member member : group) {
        if (member.reward() != null) {
          scored.add(member);
        }
      }
      if (scored.size() < 2) {
        masked++;
        continue;
      }
      if (scored.size() < group.size()) {
        renormalized++;
      }
      double[] rewards = scored.stream().mapToDouble(Member::reward).toArray();
      if (GroupAdvantages.unanimous(rewards)) {
        unanimous++;
      }
      double[] values = algorithm.groupAdvantages(rewards, divideByStd);
      for (int i = 0; i < scored.size(); i++) {
        advantages.put(scored.get(i).episodeId(), values[i]);
      }
    }
    return new Result(advantages, groups.size(), renormalized, masked, unanimous);
  }
}
