import { patientSuite } from './patient-suite.ts';

patientSuite();
