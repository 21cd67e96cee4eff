import { Arg } from 'type-graphql';

/** The `wait` argument of every generate mutation: finished run(s), or at once while queued. */
export function WaitArg(plural = false): ReturnType<typeof Arg> {
  return Arg('wait', () => Boolean, {
    defaultValue: true,
    description: plural
      ? 'true: answer with the finished runs; false: answer at once, the runs QUEUED or RUNNING.'
      : 'true: answer with the finished run; false: answer at once, the run QUEUED or RUNNING.',
  });
}
