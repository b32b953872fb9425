//! connectorkit runtime (placeholder while the real runtime is being written).
