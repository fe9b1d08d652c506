import * as core from '@actions/core';
import { getString, run } from '@deploy-actions/toolkit';

run(async () => {
  const id = getString('service-id', { required: true });
  core.setOutput('deploy-id', id);
});
