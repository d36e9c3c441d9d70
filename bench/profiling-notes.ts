// What profiling the engine found, printed after the numbers in bench/RESULTS.md. Kept apart from the
// harness because it is prose written by hand, to be rewritten when the engine changes.

/**
 * What profiling found, kept with the numbers. Measured by hand (node --cpu-prof, call counts, patched
 * copies of the engine) when this benchmark was written; re-check them when the engine changes.
 */
export const PROFILING_NOTES: readonly string[] = [
  '## Where the time went, and what was changed (profiling notes)',
  '',
  'The first version of this benchmark measured 92,000–217,000 commands per second on the 1,000-doctor day ' +
    '(the goal was missed in one run of eight) and found, with `node --cpu-prof --import tsx`, call counts and ' +
    'patched copies of the engine, where the time went. The engine was then changed; the run above is after ' +
    'the changes (about 600,000 per second, tick down from 11 µs to under 1 µs).',
  '',
  '1. **`tick` was three quarters of a hospital day and mostly did nothing** (676,000 of 895,748 commands; ' +
    'at least 97% emit no event), yet opened about 19 B-tree iterators per tick on sets that the first tick ' +
    'after a slot ended had already emptied. Changed: a per-slot count of ALLOCATED tokens and a per-day count ' +
    'of waiting tokens let a tick skip swept slots and idle days in O(1), the sweeps stop at the first slot ' +
    'that has not ended (slots never overlap), and aging looks at the head of each set before iterating it.',
  '2. **Every command validated and copied the policy again** (about 0.33 µs, and `samePolicy` could never ' +
    'take its `===` shortcut). Changed: the validated canonical policy is remembered per policy object ' +
    '(a `WeakMap`, re-checked field by field in case the object was changed), so the same policy object gives ' +
    'the same frozen canonical copy and the comparison with the recorded policy is one `===`.',
  '3. **Nested named closures cost more under tsx**, which compiles with esbuild\'s `keepNames`: each ' +
    '`const f = (…) => …` inside a function became an `Object.defineProperty` per call (about 16% of a ' +
    'tick-only profile). Changed: the helpers on hot paths (`consider` in `bestWaiting`, `collect` in `tick`, ' +
    'the callbacks in aging) are module-level functions or plain loops.',
  '4. **Refusals captured a stack trace** (thrown as an `Error` subclass: 3.8 µs for call next on an empty ' +
    'queue, against 1.2 µs for an idle tick). Changed: a refusal is thrown as a plain object.',
  '5. **Cache misses grow with the number of doctor-days.** The same per-doctor commands cost more with ' +
    '1,000 doctor-days than with 100. An empty doctor-day of 8 slots holds about 170 token sets; since ' +
    'issue 13 each makes its B-tree on its first token (an empty day: 24.9 → 15.8 KiB), but every slot still ' +
    'makes its per-rank arrays of sets (about 9 KB a day); making those on first use is left.',
  '',
  '## How to read these numbers',
  '',
  '- Single-threaded, one process, on a shared 2-core virtual machine, and the machine is noisy: before the ' +
    'changes above, medians of 5 runs of the same hospital day ranged from 92,000 to 217,000 commands per ' +
    'second from one invocation to the next, while the same test with 100 doctors stayed at 300,000–314,000: ' +
    'the spread is memory traffic on a shared host (other sessions\' work took the second core at times), not ' +
    'what the engine does. The work is identical every time (same commands, same events). Expect the figure ' +
    'above to move by a factor of about 1.5 between runs; it is several times the goal either way. The ' +
    'garbage of earlier work is collected before each timed run.',
  '- The per-command tables time each call, so a command that triggers a garbage collection carries the ' +
    'whole pause (commands that allocate more, like `tick`, trigger more of them). They are noisier than the ' +
    'totals: use them to find a culprit, not to compare two runs.',
  '- Only `execute()` is timed. Streams are planned first by playing the day against the engine (who to ' +
    'check in depends on where the engine seated them) and then replayed on fresh, identical doctor-days; ' +
    'each replay must produce exactly the planned number of events, or the benchmark stops.',
  '- Scaling: before each episode is timed, its day is checked with `checkInvariants` and sent one tick at ' +
    'its own clock (which changes nothing), so that the first commands of a 40-command episode (N = 100) do ' +
    'not carry cache misses that a 4,000-command one spreads thin. At N = 100 the small slots sometimes run ' +
    'out of tokens to bump or promote, so its rounds do slightly less (fewer events per command); that makes ' +
    'the 100-token figure a little cheaper and the ratio a little worse, not better.',
];
