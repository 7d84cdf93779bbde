import { withServices } from '../../vitest.shared.ts';

export default withServices;
