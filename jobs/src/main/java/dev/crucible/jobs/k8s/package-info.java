/**
 * Kubernetes manifests for a run config ({@code crucible k8s render}): the templates are the files of the
 * repository's {@code k8s/base} and {@code k8s/components}, carried in the jar under {@code k8s/}, filled in
 * here for one job, config, image and namespace.
 */
package dev.crucible.jobs.k8s;
