import { Initial1795305600000 } from './1795305600000-Initial';
import { ScenarioRuns1795392000000 } from './1795392000000-ScenarioRuns';
import { TextReport1795478400000 } from './1795478400000-TextReport';
import { PersonasAndPipelineAgents1795564800000 } from './1795564800000-PersonasAndPipelineAgents';
import { CoherentDashboards1795651200000 } from './1795651200000-CoherentDashboards';
import { RunsAsJobs1795737600000 } from './1795737600000-RunsAsJobs';
import { RunShards1795824000000 } from './1795824000000-RunShards';
import { RunHeartbeat1795910400000 } from './1795910400000-RunHeartbeat';
import { StoredFingerprints1795996800000 } from './1795996800000-StoredFingerprints';
import { AgentDeletions1796083200000 } from './1796083200000-AgentDeletions';

/** Every migration, in order. Listed explicitly so compiled and ts-jest runs load the same set. */
export const MIGRATIONS = [
  Initial1795305600000,
  ScenarioRuns1795392000000,
  TextReport1795478400000,
  PersonasAndPipelineAgents1795564800000,
  CoherentDashboards1795651200000,
  RunsAsJobs1795737600000,
  RunShards1795824000000,
  RunHeartbeat1795910400000,
  StoredFingerprints1795996800000,
  AgentDeletions1796083200000,
];
