#!/bin/sh
# Regenerates the PyTorch fixture of every shipped norm (two or more shapes each: an odd
# spatial size, batch 1 where the norm allows it) with bench/make_fixture.py. Run from the
# repository root with Debian's python3-torch: sh bench/make_fixtures.sh
set -eu
gen() { out=$1; shift; /usr/bin/python3 bench/make_fixture.py "$@" --out "$out"; echo "wrote $out"; }

F=norm-bn/src/test/resources/fixtures
gen $F/bn-2x5x3x7.json --kind bn --module 'torch.nn.BatchNorm2d(5)' --shape 2,5,3,7

# iebn with gate: fixed is BatchNorm2d with weight gamma * sigmoid(-1): derived exactly from the bn fixture
/usr/bin/python3 bench/derive_iebn_fixed_fixture.py $F/bn-2x5x3x7.json norm-iebn/src/test/resources/fixtures/iebn-fixed-2x5x3x7.json
echo "wrote norm-iebn/src/test/resources/fixtures/iebn-fixed-2x5x3x7.json"

F=norm-group/src/test/resources/fixtures
gen $F/gn-2x8x5x5.json --kind gn --options '{"groups": 4}' --module 'torch.nn.GroupNorm(4, 8)' --shape 2,8,5,5
gen $F/gn-1x6x7x3.json --kind gn --options '{"groups": 3}' --module 'torch.nn.GroupNorm(3, 6)' --shape 1,6,7,3
# groups 8 do not divide 12 channels: the largest divisor below, 6 (strict: false, the default)
gen $F/gn-fit-2x12x3x3.json --kind gn --options '{"groups": 8}' --module 'torch.nn.GroupNorm(6, 12)' --shape 2,12,3,3
gen $F/ln-2x6x4x4.json --kind ln --module 'torch.nn.GroupNorm(1, 6)' --shape 2,6,4,4
gen $F/ln-1x5x3x7.json --kind ln --module 'torch.nn.GroupNorm(1, 5)' --shape 1,5,3,7
gen $F/in-2x6x5x5.json --kind in --module 'torch.nn.InstanceNorm2d(6, affine=True)' --shape 2,6,5,5
gen $F/in-1x4x3x7.json --kind in --module 'torch.nn.InstanceNorm2d(4, affine=True)' --shape 1,4,3,7
gen $F/in-running-2x4x5x3.json --kind in --options '{"track_running_stats": true}' --module 'torch.nn.InstanceNorm2d(4, affine=True, track_running_stats=True)' --shape 2,4,5,3

F=norm-brn/src/test/resources/fixtures
# r_max 1.7, d_max 0.3: r clipped in channels 0 and 1 (r 1.84, 1.74; not 1.69, 1.55), d in 1 and 2 (|d| 0.47, 0.46; not 0.11, 0.25)
gen $F/brn-clipped-4x4x5x5.json --kind brn --options '{"r_max": 1.7, "d_max": 0.3}' --module 'BatchRenorm2d(4, r_max=1.7, d_max=0.3)' --shape 4,4,5,5
gen $F/brn-2x3x7x3.json --kind brn --module 'BatchRenorm2d(3)' --shape 2,3,7,3

F=norm-act/src/test/resources/fixtures
gen $F/frn-2x6x5x5.json --kind frn --module 'FilterResponseNormTlu2d(6)' --shape 2,6,5,5
gen $F/frn-1x4x3x7.json --kind frn --module 'FilterResponseNormTlu2d(4)' --shape 1,4,3,7
gen $F/frn-noact-2x6x3x3.json --kind frn --apply-act false --module 'FilterResponseNormTlu2d(6, apply_act=False)' --shape 2,6,3,3
gen $F/evonorm_b0-4x6x5x5.json --kind evonorm_b0 --module 'EvoNorm2dB0(6)' --shape 4,6,5,5
gen $F/evonorm_b0-2x4x3x7.json --kind evonorm_b0 --module 'EvoNorm2dB0(4)' --shape 2,4,3,7
gen $F/evonorm_b0-noact-2x4x3x3.json --kind evonorm_b0 --apply-act false --module 'EvoNorm2dB0(4, apply_act=False)' --shape 2,4,3,3
gen $F/evonorm_s0-2x8x5x5.json --kind evonorm_s0 --options '{"groups": 4}' --module 'EvoNorm2dS0(8, groups=4)' --shape 2,8,5,5
gen $F/evonorm_s0-1x6x3x7.json --kind evonorm_s0 --options '{"groups": 2}' --module 'EvoNorm2dS0(6, groups=2)' --shape 1,6,3,7
gen $F/evonorm_s0-noact-2x8x3x3.json --kind evonorm_s0 --apply-act false --options '{"groups": 4}' --module 'EvoNorm2dS0(8, groups=4, apply_act=False)' --shape 2,8,3,3
