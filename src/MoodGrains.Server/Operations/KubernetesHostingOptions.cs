namespace MoodGrains.Server.Operations;

/// <summary>Running as pods of a Kubernetes Deployment. Bound from <c>MoodGrains:Kubernetes</c>.</summary>
public sealed class KubernetesHostingOptions
{
    public const string Section = "MoodGrains:Kubernetes";

    /// <summary>
    /// Use Microsoft.Orleans.Hosting.Kubernetes: silo name, address and cluster id from the pod (POD_NAME, POD_IP,
    /// ORLEANS_CLUSTER_ID ...), and dead pods' silos declared dead at once. Needs a Role that may list and delete pods
    /// (docker/kubernetes/moodgrains.yaml).
    /// </summary>
    public bool Enabled { get; set; }
}
