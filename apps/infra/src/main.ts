// The CDK CLI's entry (`cdk.json`): `npx cdk deploy` from apps/infra.
import { createOrderflowApp } from './app';

const { app } = createOrderflowApp();
app.synth();
