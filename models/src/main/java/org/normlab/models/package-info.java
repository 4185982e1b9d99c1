/** ResNets built from a norm factory; no concrete norm is named here. */
package org.normlab.models;
