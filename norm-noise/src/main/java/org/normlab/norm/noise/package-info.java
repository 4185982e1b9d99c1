/** Noise-attack wrappers: norm plugins that perturb the batch-normalized step of another norm. */
package org.normlab.norm.noise;
