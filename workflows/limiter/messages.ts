/** Typed handles of the limiter workflow's messages (plain definitions: safe in client code). */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { LimiterMessage, type AcquireInput, type AcquireResult, type LimiterSnapshot } from './contract.js';

export const acquireUpdate = defineUpdate<AcquireResult, [AcquireInput]>(LimiterMessage.Acquire);
export const limiterStateQuery = defineQuery<LimiterSnapshot>(LimiterMessage.State);
