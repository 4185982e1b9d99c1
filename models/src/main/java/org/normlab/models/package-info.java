/**
 * ResNets built from norm factories; no concrete norm is named here.
 *
 * <p>{@link org.normlab.models.ModelSpec} says which network ({@code cifar_resnet}: He et al.'s
 * CIFAR ResNets of depth 6n+2 or 9n+2; {@code resnet}: torchvision's ResNet-18 to 152),
 * {@link org.normlab.models.Models#parse} reads names such as {@code resnet20} or
 * {@code resnet18}, and {@link org.normlab.models.Models#build} builds it from a body norm factory
 * and a shortcut norm factory.
 */
package org.normlab.models;
