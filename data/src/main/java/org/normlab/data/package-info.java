/**
 * All data of NormLab, offline and seeded.
 *
 * <ul>
 *   <li>{@link org.normlab.data.ImageSet}: uint8 NCHW images in memory with labels
 *       and optional component indices; seeded class-stratified {@code subset}/{@code split},
 *       channel and size adaptation.
 *   <li>Readers, each returning a {@link org.normlab.data.DataSplit} (train, test):
 *       {@link org.normlab.data.FashionMnist} (IDX, Debian's
 *       {@code dataset-fashion-mnist} or a folder), {@link org.normlab.data.Cifar}
 *       (official python or binary archives or their folders), {@link
 *       org.normlab.data.SyntheticImages}, {@link
 *       org.normlab.data.MixDataset} (the mix-dataset attack), and {@link
 *       org.normlab.data.Datasets} by name.
 *   <li>{@link org.normlab.data.TransformPipeline} of {@link
 *       org.normlab.data.Transforms} on float batches, and {@link
 *       org.normlab.data.BatchLoader}, which hands DJL batches to a {@link
 *       org.normlab.data.BatchConsumer}; {@link
 *       org.normlab.data.PipelineThroughput} measures it.
 * </ul>
 *
 * Every data error is a {@link org.normlab.data.DatasetException} whose message is
 * meant for the user as it is.
 */
package org.normlab.data;
