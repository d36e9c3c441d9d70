import { patientSuite } from '../../test/suites/api/patient-suite.ts';

patientSuite();
