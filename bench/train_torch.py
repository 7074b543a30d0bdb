"""PyTorch reference for bench/train.ts: the same LCNN (SDD.md layer table), AdamW and smoothed
cross-entropy, training samples/s at the same shapes. Run by the bench with Debian's python3-torch:
    /usr/bin/python3 bench/train_torch.py --bins 64 --frames 128 --batch 32 --threads 2 --steps 10
Prints one JSON line."""
import argparse, json, time
import torch
import torch.nn as nn


class MaxFeatureMap(nn.Module):
    def forward(self, x):
        a, b = torch.chunk(x, 2, dim=1)
        return torch.max(a, b)


def conv(cin, cout, k):
    return nn.Conv2d(cin, cout, k, padding=k // 2)


class LCNN(nn.Module):
    def __init__(self, width=1.0, embedding=64):
        super().__init__()
        c = lambda n: max(2, round(n * width / 2) * 2)
        layers, cin = [], 1
        # (kernel, channels before MFM, pool after, batch norm after): the authors' table.
        for k, ch, pool, bn in [(5, 64, True, False), (1, 64, False, True), (3, 96, True, True), (1, 96, False, True),
                                (3, 128, True, False), (1, 128, False, True), (3, 64, False, True), (1, 64, False, True),
                                (3, 64, False, False)]:
            layers += [conv(cin, c(ch), k), MaxFeatureMap()]
            cin = c(ch) // 2
            if pool:
                layers.append(nn.MaxPool2d(2, 2))
            if bn:
                layers.append(nn.BatchNorm2d(cin))
        layers.append(nn.AdaptiveMaxPool2d((16, 8)))
        self.features = nn.Sequential(*layers)
        self.fc1 = nn.Linear(cin * 16 * 8, 2 * embedding)
        self.mfm = MaxFeatureMap()
        self.bn = nn.BatchNorm1d(embedding)
        self.fc2 = nn.Linear(embedding, 2)

    def forward(self, x):
        e = self.mfm(self.fc1(torch.flatten(self.features(x), 1)))
        return e, self.fc2(self.bn(e))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--bins', type=int, default=64)
    parser.add_argument('--frames', type=int, default=128)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--steps', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--width', type=float, default=1.0)
    parser.add_argument('--model', choices=['trainer', 'reference'], default='trainer',
                        help="trainer: the shipped PyTorch trainer's LCNN (trainers/pytorch); reference: the plain one above")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.model == 'trainer':
        import os, sys
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'trainers', 'pytorch'))
        from ablate_torch.experts import build_expert
        model = build_expert({'arch': 'lcnn', 'width': args.width}, [args.bins, args.frames])
    else:
        model = LCNN(args.width)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.2)
    x = torch.randn(args.batch, args.bins, args.frames) if args.model == 'trainer' else torch.randn(args.batch, 1, args.bins, args.frames)
    y = torch.arange(args.batch) % 2

    def step():
        optimizer.zero_grad()
        _, logits = model(x)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - start
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'samplesPerSecond': args.batch * args.steps / seconds,
                      'msPerStep': 1000 * seconds / args.steps, 'params': sum(p.numel() for p in model.parameters())}))


if __name__ == '__main__':
    main()
