/** The composition root: sweeps, datasets, training, results, reports and the CLI. */
package org.normlab.experiments;
